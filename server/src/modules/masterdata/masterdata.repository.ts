import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import { pgArray } from '../../platform/database/pg-array.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { AppError } from '../../platform/http/app-error.js';
import type {
  BookLineInput,
  bookLinesListed,
  EnterpriseInput,
  enterprisesListed,
  GoodsInput,
  goodsListed,
  WarehouseInput,
  warehouseAnswer,
  warehousesListed,
} from './masterdata.schemas.js';

type Em = MikroORM['em'];
const CHUNK = 5_000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** A warehouse's own fields (without zones), as master data answers them. */
export type WarehouseRecord = Answer<typeof warehouseAnswer>;

/** Master data in bulk: every write is an upsert keyed by the business identifier. */
@Injectable()
export class MasterDataRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async upsertAll(data: {
    enterprises: EnterpriseInput[];
    warehouses: WarehouseInput[];
    goods: GoodsInput[];
    bookLines: BookLineInput[];
  }): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      for (const part of chunks(data.enterprises))
        await em.execute(
          `insert into enterprise (code, name, roles, credit_class)
           select code, name, array(select jsonb_array_elements_text(roles)), credit_class
           from jsonb_to_recordset(?::jsonb) as x(code text, name text, roles jsonb, credit_class text)
           on conflict (code) do update set name = excluded.name, roles = excluded.roles,
             credit_class = excluded.credit_class, updated_at = now()`,
          [JSON.stringify(part.map((e) => ({ ...e, credit_class: e.creditClass })))],
        );
      for (const w of data.warehouses) await this.upsertWarehouse(em, w);
      for (const part of chunks(data.goods))
        await em.execute(
          `insert into goods (owner_code, sku, gtin, gcode, name, model, unit, declared_price, currency, country, gross_grams,
             legal_unit, legal_qty_per_unit, legal_unit2, legal_qty2_per_unit)
           select owner_code, sku, gtin, gcode, name, model, unit, declared_price, currency, country, gross_grams,
             legal_unit, legal_qty_per_unit, legal_unit2, legal_qty2_per_unit
           from jsonb_to_recordset(?::jsonb) as x(owner_code text, sku text, gtin text, gcode text, name text,
             model text, unit text, declared_price numeric, currency text, country text, gross_grams integer,
             legal_unit text, legal_qty_per_unit numeric, legal_unit2 text, legal_qty2_per_unit numeric)
           on conflict (owner_code, sku) do update set gtin = excluded.gtin, gcode = excluded.gcode,
             name = excluded.name, model = excluded.model, unit = excluded.unit,
             declared_price = excluded.declared_price, currency = excluded.currency,
             country = excluded.country, gross_grams = excluded.gross_grams,
             -- an import without legal units keeps those a seller set (the seller API owns them too)
             legal_unit = coalesce(excluded.legal_unit, goods.legal_unit),
             legal_qty_per_unit = coalesce(excluded.legal_qty_per_unit, goods.legal_qty_per_unit),
             legal_unit2 = coalesce(excluded.legal_unit2, goods.legal_unit2),
             legal_qty2_per_unit = coalesce(excluded.legal_qty2_per_unit, goods.legal_qty2_per_unit)`,
          [
            JSON.stringify(
              part.map((g) => ({
                owner_code: g.ownerCode,
                sku: g.sku,
                gtin: g.gtin ?? null,
                gcode: g.gcode,
                name: g.name,
                model: g.model,
                unit: g.unit,
                declared_price: g.declaredPrice,
                currency: g.currency,
                country: g.country,
                gross_grams: g.grossGrams ?? null,
                legal_unit: g.legalUnit ?? null,
                legal_qty_per_unit: g.legalQtyPerUnit ?? null,
                legal_unit2: g.legalUnit2 ?? null,
                legal_qty2_per_unit: g.legalQty2PerUnit ?? null,
              })),
            ),
          ],
        );
      for (const part of chunks(data.bookLines))
        await em.execute(
          `insert into book_line (ems_no, putrec_seqno, item_no, gcode, gname, unit)
           select ems_no, putrec_seqno, item_no, gcode, gname, unit
           from jsonb_to_recordset(?::jsonb) as x(ems_no text, putrec_seqno integer, item_no text, gcode text, gname text, unit text)
           on conflict (ems_no, putrec_seqno) do update set item_no = excluded.item_no, gcode = excluded.gcode,
             gname = excluded.gname, unit = excluded.unit`,
          [
            JSON.stringify(
              part.map((b) => ({
                ems_no: b.emsNo,
                putrec_seqno: b.putrecSeqno,
                item_no: b.itemNo,
                gcode: b.gcode,
                gname: b.gname,
                unit: b.unit,
              })),
            ),
          ],
        );
    });
  }

  private async upsertWarehouse(em: Em, w: WarehouseInput): Promise<void> {
    await em.execute(
      `insert into warehouse (code, name, kind, customs_code, port_code, loct_no, ems_no, operator_code, country,
         storage_age_limit_days, storage_age_warning_days, gate_requires_weighing, gate_requires_label,
         time_zone, currency, overseas_customs_reg)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (code) do update set name = excluded.name, kind = excluded.kind,
         customs_code = excluded.customs_code, port_code = excluded.port_code, loct_no = excluded.loct_no,
         ems_no = excluded.ems_no, operator_code = excluded.operator_code, country = excluded.country,
         storage_age_limit_days = excluded.storage_age_limit_days,
         storage_age_warning_days = excluded.storage_age_warning_days,
         gate_requires_weighing = excluded.gate_requires_weighing, gate_requires_label = excluded.gate_requires_label,
         time_zone = excluded.time_zone, currency = excluded.currency, overseas_customs_reg = excluded.overseas_customs_reg`,
      [
        w.code,
        w.name,
        w.kind,
        w.customsCode ?? null,
        w.portCode ?? w.customsCode ?? null,
        w.loctNo ?? null,
        w.emsNo ?? null,
        w.operatorCode ?? null,
        w.country ?? null,
        w.storageAgeLimitDays,
        w.storageAgeWarningDays,
        w.gateRequiresWeighing,
        w.gateRequiresLabel,
        w.timeZone,
        w.currency,
        w.overseasCustomsReg ?? null,
      ],
    );
    for (const z of w.zones) {
      await em.execute(
        `insert into zone (warehouse_code, code, kind) values (?, ?, ?)
         on conflict (warehouse_code, code) do update set kind = excluded.kind`,
        [w.code, z.code, z.kind],
      );
      if (z.locations.length)
        await em.execute(
          `insert into location (warehouse_code, code, zone_code, purpose)
           select ?, l.code, ?, l.purpose from unnest(?::text[], ?::text[]) as l(code, purpose)
           on conflict (warehouse_code, code) do update set zone_code = excluded.zone_code, purpose = excluded.purpose`,
          [w.code, z.code, pgArray(z.locations.map((l) => l.code)), pgArray(z.locations.map((l) => l.purpose))],
        );
    }
  }

  async enterprises() {
    return this.orm.em.execute<Answer<typeof enterprisesListed>['items']>(
      'select code, name, roles, credit_class as "creditClass" from enterprise order by code',
    );
  }

  /** Floor work (waves, trips, deliveries) names a warehouse that must be set up first. */
  async warehouseExists(code: string): Promise<boolean> {
    const rows = await this.orm.em.execute('select 1 from warehouse where code = ?', [code]);
    return rows.length > 0;
  }

  async warehouses(): Promise<Answer<typeof warehousesListed>['items']> {
    return this.orm.em.execute(
      `select w.code, w.name, w.kind, w.customs_code as "customsCode", w.port_code as "portCode", w.loct_no as "loctNo",
         w.ems_no as "emsNo", w.operator_code as "operatorCode", w.country, w.time_zone as "timeZone",
         w.currency, w.overseas_customs_reg as "overseasCustomsReg", w.storage_age_limit_days as "storageAgeLimitDays",
         w.storage_age_warning_days as "storageAgeWarningDays",
         w.gate_requires_weighing as "gateRequiresWeighing", w.gate_requires_label as "gateRequiresLabel",
         coalesce((select jsonb_agg(jsonb_build_object('code', z.code, 'kind', z.kind,
             'locations', coalesce((select jsonb_agg(l.code order by l.code) from location l
               where l.warehouse_code = z.warehouse_code and l.zone_code = z.code), '[]'::jsonb)) order by z.code)
           from zone z where z.warehouse_code = w.code), '[]'::jsonb) as zones
       from warehouse w order by w.code`,
    );
  }

  async warehouse(code: string): Promise<WarehouseRecord | null> {
    const rows = await this.orm.em.execute<WarehouseRecord[]>(
      `select code, name, kind, customs_code as "customsCode", port_code as "portCode", loct_no as "loctNo",
         ems_no as "emsNo", operator_code as "operatorCode", country, time_zone as "timeZone", currency,
         overseas_customs_reg as "overseasCustomsReg", storage_age_limit_days as "storageAgeLimitDays",
         storage_age_warning_days as "storageAgeWarningDays",
         gate_requires_weighing as "gateRequiresWeighing", gate_requires_label as "gateRequiresLabel"
       from warehouse where code = ?`,
      [code],
    );
    return rows[0] ?? null;
  }

  async goods(ownerCode?: string) {
    return this.orm.em.execute<Answer<typeof goodsListed>['items']>(
      `select owner_code as "ownerCode", sku, gtin, gcode, name, model, unit, declared_price::text as "declaredPrice",
         currency, country, gross_grams as "grossGrams", legal_unit as "legalUnit",
         legal_qty_per_unit::text as "legalQtyPerUnit", legal_unit2 as "legalUnit2",
         legal_qty2_per_unit::text as "legalQty2PerUnit"
       from goods ${ownerCode ? 'where owner_code = ?' : ''} order by owner_code, sku limit 10000`,
      ownerCode ? [ownerCode] : [],
    );
  }

  async bookLines(emsNo: string) {
    return this.orm.em.execute<Answer<typeof bookLinesListed>['items']>(
      `select ems_no as "emsNo", putrec_seqno as "putrecSeqno", item_no as "itemNo", gcode, gname, unit
       from book_line where ems_no = ? order by putrec_seqno`,
      [emsNo],
    );
  }
}

/** Refuses floor work for a warehouse that is not set up, naming it (a 404, not an empty wave). */
export async function requireWarehouse(masterData: MasterDataRepository, code: string): Promise<void> {
  if (!(await masterData.warehouseExists(code)))
    throw new AppError(
      'NOT_FOUND',
      `warehouse ${code} does not exist: check the code, or set it up in master data first`,
    );
}

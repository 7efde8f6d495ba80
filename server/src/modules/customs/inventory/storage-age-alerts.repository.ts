import { Injectable } from '@nestjs/common';
import type { StorageAgeAlert } from '@wms/contracts';
import { pgArray } from '../../../platform/database/pg-array.js';
import type { Sql } from '../../../platform/database/sql.js';
import type { AgeRecipient } from './customs-inventory.rules.js';

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ALERT_COLUMNS = `id, warehouse_code as "warehouseCode", owner_code as "ownerCode", sku, batch, ems_no as "emsNo",
  putrec_seqno as "putrecSeqno", level, units::int as units, ${iso('first_entry_at')} as "firstEntryAt",
  age_days as "ageDays", limit_days as "limitDays", message, recipients, ${iso('raised_at')} as "raisedAt"`;

export interface AgeingCandidate {
  warehouseCode: string;
  ownerCode: string;
  sku: string;
  batch: string;
  emsNo: string | null;
  putrecSeqno: number | null;
  level: 'warning' | 'over-limit';
  units: number;
  firstEntryAt: string;
  ageDays: number;
  limitDays: number;
  message: string;
}

/**
 * The storage-age alerts of bonded centres as raised and to whom (storage_age_alert, owned here;
 * migration 0951), and the seller's copy in its own alerts (seller_alert, the portal's list).
 */
@Injectable()
export class StorageAgeAlertsRepository {
  /** Bonded centres (the ones with a storage limit and an account book). */
  async bondedCentres(sql: Sql): Promise<string[]> {
    const rows = await sql.execute<Array<{ code: string }>>(
      `select code from warehouse where kind = 'bonded-centre' order by code`,
    );
    return rows.map((r) => r.code);
  }

  /** One sweep at a time across instances (the unique key is the backstop). */
  async claimSweep(sql: Sql): Promise<boolean> {
    const [row] = await sql.execute<Array<{ claimed: boolean }>>(
      `select pg_try_advisory_xact_lock(hashtext('wms.storage-age-sweep')) as claimed`,
    );
    return row.claimed;
  }

  /** Records the alert if this batch has not raised this level before; its id, or null. */
  async raise(sql: Sql, a: AgeingCandidate): Promise<string | null> {
    const [row] = await sql.execute<Array<{ id: string }>>(
      `insert into storage_age_alert (warehouse_code, owner_code, sku, batch, ems_no, putrec_seqno, level, units,
         first_entry_at, age_days, limit_days, message, recipients)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?, ?, ?, '[]'::jsonb)
       on conflict (warehouse_code, owner_code, sku, batch, level) do nothing returning id`,
      [
        a.warehouseCode,
        a.ownerCode,
        a.sku,
        a.batch,
        a.emsNo,
        a.putrecSeqno,
        a.level,
        a.units,
        a.firstEntryAt,
        a.ageDays,
        a.limitDays,
        a.message,
      ],
    );
    return row?.id ?? null;
  }

  /**
   * Puts the alert in the owning sellers' own alert lists (one per lot: a seller told of a batch
   * at its warning is not told again at the limit); the sellers that were told now.
   */
  async tellSellers(sql: Sql, a: AgeingCandidate): Promise<Array<{ sellerCode: string; id: string }>> {
    return sql.execute<Array<{ sellerCode: string; id: string }>>(
      `insert into seller_alert (seller_code, kind, owner_code, warehouse_code, sku, lot_no, age_days, qty, arrived_at, message)
       select so.seller_code, 'ageing', ?, ?, ?, ?, ?, ?, ?::timestamptz, ?
         from seller_owner so where so.owner_code = ?
       on conflict (kind, owner_code, warehouse_code, sku, lot_no) do nothing
       returning seller_code as "sellerCode", id`,
      [a.ownerCode, a.warehouseCode, a.sku, a.batch, a.ageDays, a.units, a.firstEntryAt, a.message, a.ownerCode],
    );
  }

  async setRecipients(sql: Sql, id: string, recipients: AgeRecipient[]): Promise<void> {
    await sql.execute('update storage_age_alert set recipients = ?::jsonb where id = ?', [
      JSON.stringify(recipients),
      id,
    ]);
  }

  list(sql: Sql, warehouseCode: string, level: string | null, limit: number): Promise<StorageAgeAlert[]> {
    return sql.execute<StorageAgeAlert[]>(
      `select ${ALERT_COLUMNS} from storage_age_alert
        where warehouse_code = ? and (?::text is null or level = ?)
        order by raised_at desc, id limit ?`,
      [warehouseCode, level, level, limit],
    );
  }

  byIds(sql: Sql, ids: string[]): Promise<StorageAgeAlert[]> {
    return sql.execute<StorageAgeAlert[]>(`select ${ALERT_COLUMNS} from storage_age_alert where id = any(?::uuid[])`, [
      pgArray(ids),
    ]);
  }
}

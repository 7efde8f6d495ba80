import { describe, expect, it } from 'vitest';
import { toHttpError } from './error.filter.js';

/** pg errors as the driver raises them (SQLSTATE in `code`, the key in `detail`). */
const pg = (fields: Record<string, string>) => Object.assign(new Error(fields.message ?? 'db'), fields);

describe('database errors that slip through validation', () => {
  it('answer 409 for a duplicate, naming the fields, never the table or constraint', () => {
    const { status, body } = toHttpError(
      pg({
        code: '23505',
        detail: 'Key (owner_code, sku)=(E1, S1) already exists.',
        table: 'goods',
        constraint: 'goods_pkey',
        message: 'duplicate key value violates unique constraint "goods_pkey"',
      }),
    );
    expect(status).toBe(409);
    expect(body.message).toBe('ownerCode, sku E1, S1 already exists');
    expect(JSON.stringify(body)).not.toMatch(/goods|pkey|constraint/);
  });

  it('answer 422 for a missing reference, naming the field', () => {
    const { status, body } = toHttpError(
      pg({
        code: '23503',
        detail: 'Key (warehouse_code)=(W9) is not present in table "warehouse".',
        table: 'vehicle_trip',
        constraint: 'vehicle_trip_warehouse_code_fkey',
        message: 'insert or update on table "vehicle_trip" violates foreign key constraint',
      }),
    );
    expect(status).toBe(422);
    expect(body.message).toContain('warehouseCode W9 does not exist');
    expect(JSON.stringify(body)).not.toMatch(/vehicle_trip|table|fkey/);
  });

  it('say a key still referenced is in use, not missing', () => {
    const { body } = toHttpError(
      pg({
        code: '23503',
        detail: 'Key (ems_no)=(T1) is still referenced from table "book_line".',
        table: 'warehouse',
      }),
    );
    expect(body.message).toBe('emsNo T1 is still in use and cannot change');
  });

  it('take the field of a check from its constraint name, without the table', () => {
    const { status, body } = toHttpError(
      pg({ code: '23514', table: 'goods', constraint: 'goods_gross_grams_check', message: 'violates check' }),
    );
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'INVALID_VALUE', details: [{ field: 'grossGrams' }] });
  });

  it.each([
    ['22001', 'longer than its field'],
    ['22003', 'out of range'],
    ['22P02', 'not valid'],
    ['22021', 'cannot store'],
    ['22P05', 'cannot store'],
    ['22007', 'date or time'],
    ['22008', 'date or time'],
    ['23502', 'required'],
    ['21000', 'appears twice'],
  ])('answer 422 for SQLSTATE %s', (code, words) => {
    const { status, body } = toHttpError(pg({ code, message: 'relation "secret_table" says no' }));
    expect(status).toBe(422);
    expect(body.message).toContain(words);
    expect(body.message).not.toContain('secret_table');
  });

  it('keeps anything else a 500 with a message that reveals nothing', () => {
    const { status, body } = toHttpError(pg({ code: '57P01', message: 'terminating connection' }));
    expect(status).toBe(500);
    expect(body.message).not.toContain('terminating');
  });

  it('answers a body over the limit 413', () => {
    expect(toHttpError({ type: 'entity.too.large', status: 413 }).status).toBe(413);
  });
});

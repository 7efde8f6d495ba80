import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderPassword } from './embedded-postgres.js';

describe('the embedded PostgreSQL password', () => {
  it('is generated per new data folder, kept owner-only beside it, and the same at every start', () => {
    const a = join(mkdtempSync(join(tmpdir(), 'pg-pw-')), 'postgres');
    const b = join(mkdtempSync(join(tmpdir(), 'pg-pw-')), 'postgres');
    const first = folderPassword(a);
    expect(first).toMatch(/^[\w-]{32}$/);
    expect(folderPassword(a)).toBe(first);
    expect(folderPassword(b)).not.toBe(first);
    expect(statSync(`${a}.password`).mode & 0o777).toBe(0o600);
  });

  it('keeps the old fixed password for a folder initialised before passwords were generated', () => {
    const old = join(mkdtempSync(join(tmpdir(), 'pg-pw-')), 'postgres');
    mkdirSync(old);
    writeFileSync(join(old, 'PG_VERSION'), '18\n');
    expect(folderPassword(old)).toBe('wms');
  });
});

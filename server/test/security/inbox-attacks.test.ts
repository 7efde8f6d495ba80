import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

// The customs inbox is a folder another program writes into: whatever is planted there, the server
// never writes or reads outside it, never expands an entity, and sets each bad file aside into
// error/ with its reason. Driven through the real route (POST /api/customs/inbox/process).
let t: TestServer;
let root: string;
let inbox: string;
let outside: string;
const victim = () => join(outside, 'victim.txt');
const secret = () => join(outside, 'secret.txt');

async function processInbox() {
  const res = await t.api('POST', '/api/customs/inbox/process', 'super');
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body as { done: string[]; failed: Array<{ file: string; reason: string }> };
}

const reasonFile = (file: string) => join(inbox, 'error', `${file}.error.txt`);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'inbox-attacks-'));
  inbox = join(root, 'inbox');
  outside = join(root, 'outside');
  mkdirSync(join(inbox, 'error'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(victim(), 'untouched\n');
  writeFileSync(secret(), 'TOP-SECRET-MARKER\n');
  t = await startTestServer(
    'inbox_attacks',
    { CUSTOMS_INBOX_DIR: inbox, CUSTOMS_OUTBOX_DIR: join(root, 'outbox'), CUSTOMS_POLL_MS: '0' },
    { super: ['supervisor'] },
  );
});

afterAll(async () => {
  await t?.close();
});

describe('customs inbox attacks', () => {
  it('a symlink planted at error/<f>.error.txt is replaced, not followed: the file outside is untouched', async () => {
    symlinkSync(victim(), reasonFile('CEB622_planted.xml'));
    writeFileSync(join(inbox, 'CEB622_planted.xml'), 'not xml at all');
    const summary = await processInbox();
    expect(summary.failed.map((f) => f.file)).toEqual(['CEB622_planted.xml']);
    expect(readFileSync(victim(), 'utf8')).toBe('untouched\n');
    const reason = lstatSync(reasonFile('CEB622_planted.xml'));
    expect(reason.isSymbolicLink()).toBe(false);
    expect(reason.mode & 0o777).toBe(0o600);
    expect(readFileSync(reasonFile('CEB622_planted.xml'), 'utf8')).toMatch(/not readable XML/);
  });

  it('a symlink in the inbox is not followed: set aside as a link, its target neither read nor moved', async () => {
    symlinkSync(secret(), join(inbox, 'CEB622_link.xml'));
    const summary = await processInbox();
    expect(summary.done).toEqual([]);
    expect(summary.failed).toEqual([
      { file: 'CEB622_link.xml', reason: 'the file is a symbolic link; links in the inbox are not followed' },
    ]);
    expect(lstatSync(join(inbox, 'error', 'CEB622_link.xml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(secret(), 'utf8')).toBe('TOP-SECRET-MARKER\n');
    expect(readFileSync(reasonFile('CEB622_link.xml'), 'utf8')).not.toContain('TOP-SECRET');
  });

  it('names with traversal or odd characters are kept under a plain name, with the original in the reason', async () => {
    const names = ['x..\\..\\evil.xml', 'a b;rm -rf ~.xml', '-rf.xml', '名单.xml', 'line\nbreak.xml', '$(id).xml'];
    for (const name of names) writeFileSync(join(inbox, name), '<x/>');
    // a hidden name is how writers mark a file still being written: left alone, never taken
    writeFileSync(join(inbox, '..\\..\\hidden.xml'), '<x/>');
    const before = readdirSync(root).sort();
    const summary = await processInbox();
    expect(summary.done).toEqual([]);
    expect(summary.failed, JSON.stringify(summary.failed)).toHaveLength(names.length);
    for (const name of names) {
      const entry = summary.failed.find((f) => f.reason.includes(JSON.stringify(name)));
      expect(entry, name).toBeDefined();
      expect(entry!.file).toMatch(/^renamed-[0-9a-f]{12}-[\w.-]*\.xml$/);
      expect(readFileSync(join(inbox, 'error', entry!.file), 'utf8')).toBe('<x/>');
    }
    expect(readdirSync(root).sort()).toEqual(before);
    expect(readdirSync(inbox).filter((f) => f.endsWith('.xml'))).toEqual(['..\\..\\hidden.xml']);
  });

  it('a file over CUSTOMS_INBOX_MAX_BYTES is set aside unread, with its size', async () => {
    writeFileSync(join(inbox, 'CEB622_huge.xml'), `<r>${'x'.repeat(3 * 1024 * 1024)}</r>`);
    const summary = await processInbox();
    expect(summary.failed).toEqual([
      {
        file: 'CEB622_huge.xml',
        reason: `the file is ${3 * 1024 * 1024 + 7} bytes, over the limit of ${2 * 1024 * 1024} (CUSTOMS_INBOX_MAX_BYTES); set aside unread`,
      },
    ]);
    expect(lstatSync(join(inbox, 'error', 'CEB622_huge.xml')).size).toBe(3 * 1024 * 1024 + 7);
  });

  it('XXE: an external entity and a billion laughs are refused, nothing expanded', async () => {
    writeFileSync(
      join(inbox, 'CEB622_xxe.xml'),
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://${secret()}">]><ceb:CEB622Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"><x>&x;</x></ceb:CEB622Message>`,
    );
    const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join(
      '',
    );
    writeFileSync(
      join(inbox, 'CEB622_laughs.xml'),
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${laughs}]><lolz>&lol9;</lolz>`,
    );
    const summary = await processInbox();
    expect(summary.failed.map((f) => f.file).sort()).toEqual(['CEB622_laughs.xml', 'CEB622_xxe.xml']);
    for (const f of summary.failed) {
      expect(f.reason).toMatch(/DOCTYPE and entity declarations are refused/);
      const text = readFileSync(reasonFile(f.file), 'utf8');
      expect(text).not.toContain('TOP-SECRET');
      expect(text).not.toContain('lollol');
      expect(text.length).toBeLessThan(1000);
    }
    expect(JSON.stringify(summary)).not.toContain('TOP-SECRET');
  });

  it('an inbox whose error/ folder was replaced by a link is refused, not written through', async () => {
    const other = mkdtempSync(join(tmpdir(), 'inbox-link-'));
    const linkedInbox = join(other, 'inbox');
    mkdirSync(linkedInbox);
    symlinkSync(outside, join(linkedInbox, 'error'));
    writeFileSync(join(linkedInbox, 'CEB622_bad.xml'), 'broken');
    const { takeIncoming } = await import('../../src/modules/customs/transport/customs-folder.transport.js');
    await expect(takeIncoming(linkedInbox, () => undefined)).rejects.toThrow(/is not a folder/);
    expect(readdirSync(outside).sort()).toEqual(['secret.txt', 'victim.txt']);
  });
});

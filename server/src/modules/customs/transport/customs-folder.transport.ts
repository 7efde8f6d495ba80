import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '@wms/contracts/node';

/**
 * The watched-folder pair of the single-window client (DOMAIN.md §4): we write declarations into
 * its outbox folder and take receipts from its inbox folder.
 * - Writes are atomic: a temp file in the same folder, fsync, then rename, so the client never sees
 *   half a file under the final name. Declarations name buyers (ID numbers): owner-only (0600).
 * - Each incoming file is taken exactly once: claimed by renaming it into `processing/` (only one
 *   process can win the rename), moved to `done/` after the handler succeeds, or to `error/` with
 *   a `.error.txt` beside it saying why.
 * - The folder is shared with another program, so nothing in it is trusted: only plain names are
 *   taken, links are never followed (a link planted as `error/<f>.error.txt` must not make us write
 *   outside the folder), and a file over the size limit is set aside unread. Reads are
 *   asynchronous, so a large file does not hold up the server.
 */
export function writeOutgoing(dir: string, fileName: string, content: string): string {
  if (!/^[\w.-]+\.xml$/.test(fileName)) throw new Error(`"${fileName}" is not a safe message file name`);
  return writeFileAtomically(dir, fileName, content, 0o600);
}

export interface IncomingSummary {
  done: string[];
  failed: Array<{ file: string; reason: string }>;
}

export interface InboxLimits {
  /** Files larger than this are set aside unread (CUSTOMS_INBOX_MAX_BYTES). */
  maxBytes: number;
}

const PLAIN_NAME = /^[A-Za-z0-9_][\w.-]{0,199}\.xml$/;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

class SetAside extends Error {}

export async function takeIncoming(
  inboxDir: string,
  handler: (fileName: string, content: string) => Promise<void> | void,
  limits: InboxLimits = { maxBytes: 2 * 1024 * 1024 },
): Promise<IncomingSummary> {
  const processing = join(inboxDir, 'processing');
  const done = join(inboxDir, 'done');
  const failedDir = join(inboxDir, 'error');
  for (const d of [processing, done, failedDir]) await realFolder(d);
  const summary: IncomingSummary = { done: [], failed: [] };
  const entries = (await readdir(inboxDir, { withFileTypes: true }))
    .filter((e) => !e.isDirectory() && !e.name.startsWith('.') && /\.xml$/i.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    // An odd name is kept under a plain one; the reason quotes the name it came with.
    const file = PLAIN_NAME.test(entry.name) ? entry.name : plainNameFor(entry.name);
    const claimed = join(processing, file);
    try {
      await rename(join(inboxDir, entry.name), claimed);
    } catch {
      continue; // another taker won this file
    }
    try {
      if (file !== entry.name)
        throw new SetAside(`the file name ${JSON.stringify(entry.name)} is not a plain message file name`);
      const content = await readClaimed(claimed, limits.maxBytes);
      await handler(file, content);
      await rename(claimed, join(done, file));
      summary.done.push(file);
    } catch (error) {
      const reason = (error as Error).message ?? String(error);
      await rename(claimed, join(failedDir, file));
      await writeReason(join(failedDir, `${file}.error.txt`), `${new Date().toISOString()}\n${reason}\n`);
      summary.failed.push({ file, reason });
    }
  }
  return summary;
}

/** Reads a claimed file without following a link, and only when it is a regular file within the limit. */
async function readClaimed(path: string, maxBytes: number): Promise<string> {
  const stat = await lstat(path);
  if (stat.isSymbolicLink()) throw new SetAside('the file is a symbolic link; links in the inbox are not followed');
  if (!stat.isFile()) throw new SetAside('not a regular file');
  if (stat.size > maxBytes)
    throw new SetAside(
      `the file is ${stat.size} bytes, over the limit of ${maxBytes} (CUSTOMS_INBOX_MAX_BYTES); set aside unread`,
    );
  const handle = await open(path, READ_FLAGS);
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.size > maxBytes) throw new SetAside('the file changed while it was being read');
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Creates the reason file anew, owner-only; whatever stood under that name (a link, an old reason) is removed, not followed. */
async function writeReason(path: string, text: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, CREATE_FLAGS, 0o600);
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt > 2 || (code !== 'EEXIST' && code !== 'ELOOP')) throw error;
      await unlink(path).catch(() => undefined);
    }
  }
}

/** The folder exists and is a real folder, not a link to somewhere else. */
async function realFolder(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  if (!(await lstat(path)).isDirectory())
    throw new Error(`${path} is not a folder (a symbolic link?): the customs inbox refuses to use it`);
}

function plainNameFor(name: string): string {
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 12);
  const readable = name
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 60);
  return `renamed-${digest}-${readable.replace(/\.xml$/i, '')}.xml`;
}

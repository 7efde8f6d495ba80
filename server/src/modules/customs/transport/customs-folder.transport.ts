import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '@wms/contracts/node';

/**
 * The watched-folder pair of the single-window client (DOMAIN.md §4): we write declarations into
 * its outbox folder and take receipts from its inbox folder.
 * - Writes are atomic: a temp file in the same folder, fsync, then rename, so the client never sees
 *   half a file under the final name.
 * - Each incoming file is taken exactly once: claimed by renaming it into `processing/` (only one
 *   process can win the rename), moved to `done/` after the handler succeeds, or to `error/` with
 *   a `.error.txt` beside it saying why.
 */
export function writeOutgoing(dir: string, fileName: string, content: string): string {
  if (!/^[\w.-]+\.xml$/.test(fileName)) throw new Error(`"${fileName}" is not a safe message file name`);
  return writeFileAtomically(dir, fileName, content);
}

export interface IncomingSummary {
  done: string[];
  failed: Array<{ file: string; reason: string }>;
}

export async function takeIncoming(
  inboxDir: string,
  handler: (fileName: string, content: string) => Promise<void> | void,
): Promise<IncomingSummary> {
  const processing = join(inboxDir, 'processing');
  const done = join(inboxDir, 'done');
  const failedDir = join(inboxDir, 'error');
  for (const d of [processing, done, failedDir]) mkdirSync(d, { recursive: true });
  const summary: IncomingSummary = { done: [], failed: [] };
  const files = readdirSync(inboxDir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.xml') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const file of files) {
    const claimed = join(processing, file);
    try {
      renameSync(join(inboxDir, file), claimed);
    } catch {
      continue; // another taker won this file
    }
    try {
      const content = readFileSync(claimed, 'utf8');
      await handler(file, content);
      renameSync(claimed, join(done, file));
      summary.done.push(file);
    } catch (error) {
      const reason = (error as Error).message ?? String(error);
      renameSync(claimed, join(failedDir, file));
      writeFileSync(join(failedDir, `${file}.error.txt`), `${new Date().toISOString()}\n${reason}\n`);
      summary.failed.push({ file, reason });
    }
  }
  return summary;
}

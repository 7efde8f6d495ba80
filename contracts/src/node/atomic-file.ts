import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a file so that a folder watcher never sees half of it under its final name: a temp file
 * in the same folder, fsync, then rename. Used for the single window's folder pair by the server
 * and by the customs simulator. (Node only: kept off the package's browser-safe main entry.)
 * The temp file is created exclusively (never through a link planted under its name) and
 * owner-only by default: these files carry personal data (buyer ID numbers).
 */
export function writeFileAtomically(dir: string, fileName: string, content: string, mode = 0o600): string {
  if (!/^[\w.-]+$/.test(fileName) || fileName.startsWith('.')) throw new Error(`"${fileName}" is not a safe file name`);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${fileName}.${randomUUID()}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const target = join(dir, fileName);
  renameSync(temp, target);
  return target;
}

import fs from 'node:fs';
import path from 'node:path';
import { ensureDataDir } from './data-dir.ts';

/** Writes a secret readable by its owner only; fails if the file already exists. */
export function writeSecretFile(file: string, content: string): void {
  ensureDataDir(path.dirname(file));
  fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
}

/** Reads a secret file, creating it with `create()` on first use. */
export function readOrCreateSecretFile(
  file: string,
  create: () => string,
): { content: string; created: boolean } {
  try {
    return { content: fs.readFileSync(file, 'utf8'), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const content = create();
  try {
    writeSecretFile(file, content);
    return { content, created: true };
  } catch (error) {
    // Another process created it between our read and write: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateSecretFile(file, create);
    throw error;
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.ts';

/**
 * Creates the data directory (and any missing parent) readable by its owner only: it holds the
 * master key, token hashes, wrapped data keys and who is which avatar.
 */
export function ensureDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

export const pidFileName = 'mdis.pid';

/**
 * Claims `dir` for this serving process with a pid file, or throws a ConfigError naming the
 * process that serves it. A pid file whose process is gone (killed, say) is taken over. Returns
 * the release, which is also run at exit.
 */
export function claimDataDir(dir: string): () => void {
  ensureDataDir(dir);
  const file = path.join(dir, pidFileName);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const other = Number.parseInt(readOrEmpty(file), 10);
    if (Number.isInteger(other) && other > 0 && other !== process.pid && alive(other)) {
      throw new ConfigError(
        `the data directory ${dir} is already served by process ${other} (see ${file}); stop it, or give another --data`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (readOrEmpty(file).trim() === String(process.pid)) fs.rmSync(file, { force: true });
  };
  process.once('exit', release);
  return release;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

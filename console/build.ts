import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

/**
 * Builds the console unless its build is newer than every source it comes from, so that
 * `npm start` and `npm test` in a fresh clone build it once and then start at once.
 * `--force` builds whatever the dates say.
 */

const root = import.meta.dirname;
const built = path.join(root, 'dist', 'index.html');
const sources = [
  path.join(root, 'index.html'),
  path.join(root, 'vite.config.ts'),
  path.join(root, 'tsconfig.json'),
  path.join(root, 'src'),
  path.join(root, 'public'),
  path.join(root, '..', 'package-lock.json'),
];

function newest(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((name) => newest(path.join(file, name))));
}

const force = process.argv.includes('--force');
if (!force && fs.existsSync(built) && fs.statSync(built).mtimeMs >= Math.max(...sources.map(newest))) {
  console.log('console: up to date (console/dist)');
} else {
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log('console: built into console/dist');
}

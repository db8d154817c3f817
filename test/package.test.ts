import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from './_util.ts';

// What users get from the registry: the packed tarball, installed into an empty project.
const root = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];

after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dir(prefix: string): string {
  const made = tempDir(prefix);
  dirs.push(made);
  return made;
}

// npm and the installed `mdis` start with `#!/usr/bin/env node`: put the Node running this test
// (24, with type stripping) first on the PATH so they run on it rather than an older system node.
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MDIS_'))),
  PATH: [path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
};

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout: 240_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test('the packed package installs and runs as `mdis`', { timeout: 300_000 }, async () => {
  const packed = dir('pack');
  await run('npm', ['pack', '--pack-destination', packed], root);
  const tarballs = fs.readdirSync(packed).filter((f) => f.endsWith('.tgz'));
  assert.equal(tarballs.length, 1, `one tarball: ${tarballs.join(', ')}`);

  const project = dir('install');
  await run('npm', ['init', '-y'], project);
  const install = ['install', '--prefer-offline', '--no-audit', '--no-fund'];
  await run('npm', [...install, path.join(packed, tarballs[0]!)], project);

  const installed = path.join(project, 'node_modules', 'mdis');
  const shipped = fs
    .readdirSync(installed, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.startsWith('node_modules'));
  assert.ok(shipped.includes(path.join('dist', 'main.js')), 'the compiled entry is shipped');
  assert.ok(shipped.includes(path.join('console', 'dist', 'index.html')), 'the built web console is shipped');
  assert.deepEqual(
    shipped.filter((f) => f.startsWith(`src${path.sep}`) || /\.test\.|\.ts$/.test(f)),
    [],
    'no sources or tests shipped',
  );

  // --no: never fetch a package of that name from the registry if the local one is missing;
  // --: the options after it are mdis's, not npx's.
  const help = await run('npx', ['--no', '--', 'mdis', '--help'], project);
  assert.match(help, /^ {2}serve\b/m);
  assert.match(help, /^ {2}admin\b/m);

  const data = path.join(dir('data'), 'store');
  const out = await run(
    'npx',
    ['--no', '--', 'mdis', 'admin', 'principal', 'create', '--role', 'admin', '--json', '--data', data],
    project,
  );
  assert.equal(out.split('\n').length, 2, `one JSON line: ${out}`);
  const created = JSON.parse(out);
  assert.deepEqual(Object.keys(created).sort(), ['activation', 'principal', 'token']);
  assert.equal(created.principal.role, 'admin');
  assert.match(created.token, /^mdis_/);
  assert.ok(fs.existsSync(path.join(data, 'mdis.sqlite')), 'the store was created under --data');

  // A recompute scores in worker threads, which load a file of their own from dist/.
  await run(
    'npx',
    ['--no', '--', 'mdis', 'simulate', '--subjects', '30', '--events', '60', '--data', data],
    project,
  );
  const recomputed = await run('npx', ['--no', '--', 'mdis', 'credit', 'recompute', '--data', data], project);
  assert.match(recomputed, /^recomputed 30 subjects from \d+ contributions in [\d.]+ s: 0 scores changed/m);
});

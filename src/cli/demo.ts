import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { createContext } from '../context.ts';
import { DemoClient } from '../demo/client.ts';
import { castDemo } from '../demo/population.ts';
import { checkThat, playTom } from '../demo/scenario.ts';
import { buildServer } from '../http/server.ts';
import { verifyOverHttp } from '../ledger/verify.ts';
import { ensureFirstAdmin } from '../principals/first-admin.ts';
import { dayMs as day } from '../util/time.ts';
import { demoSecondAdmin } from './demo-store.ts';

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'play the proposal’s example (Tom) through the real API on a fresh store; exit 0 if every step held',
    )
    .option('--keep', 'keep the temporary data directory and print where it is')
    .action(async (options: { keep?: boolean }) => {
      const failures = await runDemo((line) => process.stdout.write(`${line}\n`), options.keep ?? false);
      process.exitCode = failures === 0 ? 0 : 1;
    });
}

/** Runs the whole demo against an in-process server on a temporary store; returns the failures. */
export async function runDemo(print: (line: string) => void, keep: boolean): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdis-demo-'));
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const config = loadConfig({ dataDir, port: 0, secrets: { masterKey: randomBytes(32) } }, {});
  const ctx = await createContext(config, { logger: pino({ level: 'silent' }), now });
  const app = await buildServer(ctx);
  try {
    const tokenFile = await ensureFirstAdmin(ctx.principals, dataDir);
    const admin = fs.readFileSync(tokenFile!, 'utf8').trim();
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    // The issuer and the passkeys' origin: the address it listens on (nobody else reaches it).
    config.publicUrl = base;
    print(`mdis demo: a fresh store in ${dataDir}, the API at ${base}`);
    const client = new DemoClient(base, print);
    const admins = { admin, admin2: await demoSecondAdmin(ctx) };
    const cast = await castDemo(client, admins, { base, publicUrl: base });
    await playTom(client, cast, {
      now,
      advanceDays: (days) => {
        offset += days * day;
      },
      runPasses: async () => {
        await ctx.sanctions.expireDue();
        await ctx.credit.refreshStale();
        await ctx.ledger.checkpoint();
      },
    });

    client.title('Anyone can check that the log only ever grew');
    await ctx.ledger.checkpoint();
    const report = await verifyOverHttp({ url: base, token: cast.tokens.auditor });
    client.expect(
      { status: 200, body: report.problems },
      `${report.size} entries recomputed; root ${report.root.slice(0, 16)}…; checkpoint signature valid`,
      report.ok ? undefined : 'the log did not verify',
    );
    checkThat(client, report.size > 0, 'every step above is in the log');
    print(
      client.failures === 0
        ? '\nEvery step gave the expected answer.'
        : `\n${client.failures} step(s) failed.`,
    );
    return client.failures;
  } finally {
    await app.close();
    await ctx.close();
    if (keep) print(`(kept ${dataDir})`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

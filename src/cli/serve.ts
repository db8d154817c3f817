import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { DestinationStream } from 'pino';
import {
  type Config,
  ConfigError,
  loadConfig,
  parsePort,
  parseWitness,
  type WitnessEndpoint,
} from '../config.ts';
import { type AppContext, createContext, rootLogger } from '../context.ts';
import { openStore, sqliteFileName } from '../db/database.ts';
import { DemoClock, loadLivingPopulation, storeIsNewAt } from '../demo/living-population.ts';
import type { DemoExisting } from '../demo/population.ts';
import { recordStoreOrigin } from '../demo/store-origin.ts';
import { buildServer } from '../http/server.ts';
import { loadPolicy } from '../policy/load.ts';
import { ensureFirstAdmin } from '../principals/first-admin.ts';
import { claimDataDir } from '../util/data-dir.ts';
import { checkClockOffsetAllowed, describeClockOffset, parseClockOffset } from './clock-offset.ts';
import { demoSecondAdmin, demoSignIns } from './demo-store.ts';

interface ServeOptions {
  port?: number;
  host?: string;
  data?: string;
  policy?: string;
  demo?: boolean;
  witness?: WitnessEndpoint[];
  clockOffset?: number;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the HTTP API (SQLite under --data, or PostgreSQL with MDIS_DATABASE_URL)')
    .addOption(
      new Option('--port <port>', 'port to listen on (env MDIS_PORT, default 7070)').argParser(parsePort),
    )
    .addOption(new Option('--host <host>', 'address to bind (env MDIS_HOST, default 127.0.0.1)'))
    .addOption(new Option('--data <dir>', 'data directory (env MDIS_DATA_DIR, default ./data)'))
    .addOption(new Option('--policy <file>', 'policy file (env MDIS_POLICY, default the one shipped)'))
    .addOption(
      new Option(
        '--witness <url=key>',
        'a witness to cosign checkpoints: <url>=<its verifier key>; repeat for more (env MDIS_WITNESSES)',
      ).argParser((raw: string, previous: WitnessEndpoint[] = []) => [
        ...previous,
        parseWitness(raw, '--witness'),
      ]),
    )
    .option(
      '--demo',
      'on a new store, load the demo’s people (Tom and a token per role) and print sign-in links',
    )
    .addOption(
      new Option(
        '--clock-offset <duration>',
        'demonstrations only (a store the demo made): run the clock ahead, e.g. 15d, 12h, 1d12h (or behind: -2d)',
      ).argParser(parseClockOffset),
    )
    .action(serve);
}

async function serve(options: ServeOptions): Promise<void> {
  const config = loadConfig({
    port: options.port,
    host: options.host,
    dataDir: options.data,
    policyFile: options.policy,
    witnesses: options.witness,
  });
  // A bad policy leaves no data directory behind (createContext checks it again, as it does
  // for every command); a second server on a served directory changes nothing in it.
  loadPolicy(config.policyFile);
  const release = claimDataDir(config.dataDir);
  // The log's lines wait until the server listens and the sign-ins are printed: those come first.
  const logs = heldLines(process.stdout);
  // Stopped or failed before then, what was held is written all the same.
  process.once('exit', () => logs.release());
  try {
    await serveStore(config, options, { release, logs });
  } finally {
    logs.release();
  }
}

async function serveStore(
  config: Config,
  options: ServeOptions,
  { release, logs }: { release: () => void; logs: HeldLines },
): Promise<void> {
  const logger = rootLogger(config, logs);
  const offsetMs = options.clockOffset ?? 0;
  let ctx: AppContext;
  // On a new store the demo's population comes with a year of history: the store starts then.
  let living: DemoClock | undefined;
  try {
    if (options.clockOffset !== undefined) await checkClockOffset(config, options.demo === true);
    living = options.demo && (await storeIsNewAt(config)) ? new DemoClock(offsetMs) : undefined;
    ctx = await createContext(config, {
      logger,
      now: living?.now ?? (() => new Date(Date.now() + offsetMs)),
    });
  } catch (error) {
    release();
    throw error;
  }
  // Before the first admin: only a new store has its maker recorded.
  await recordStoreOrigin(ctx.db, options.demo ? 'demo' : 'operator', new Date());
  const adminTokenFile = await ensureFirstAdmin(ctx.principals, config.dataDir);
  if (adminTokenFile !== undefined) {
    logger.info({ file: adminTokenFile }, 'new store: the first admin token is in this file (mode 0600)');
  }
  const population =
    living &&
    (await loadLivingPopulation(ctx, living).catch(async (error: unknown) => {
      await ctx.close();
      release();
      throw error;
    }));
  const app = await buildServer(ctx, { processMetrics: true });
  ctx.startJobs();
  const shutDown = async () => {
    await app.close();
    await ctx.close();
    release();
  };
  stopOnSignals(ctx, shutDown);
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await shutDown();
    throw listenError(error, config.host, config.port);
  }
  // Without MDIS_PUBLIC_URL, people and worlds reach this instance at localhost (a passkey's RP ID
  // must be a host name) on the port it listens on.
  config.publicUrl ??= `http://localhost:${(app.server.address() as AddressInfo).port}`;
  const clock = offsetMs === 0 ? undefined : `clock: ${describeClockOffset(offsetMs)}`;
  if (options.demo) {
    const existing = population?.existing;
    process.stdout.write(await demoBlock(ctx, { address, adminTokenFile, clock, existing }));
  }
  logs.release();
  if (clock !== undefined) logger.warn({ clockOffsetMs: offsetMs }, clock);
  logger.info(
    { address, publicUrl: config.publicUrl, store: ctx.store.engine, location: ctx.store.location },
    'mdis is serving',
  );
}

/** The demo's people on a new store, and the sign-in links for each role. */
async function demoBlock(
  ctx: AppContext,
  options: {
    address: string;
    adminTokenFile: string | undefined;
    clock: string | undefined;
    existing: DemoExisting | undefined;
  },
): Promise<string> {
  const { config } = ctx;
  const file = options.adminTokenFile;
  return demoSignIns({
    address: options.address,
    publicUrl: config.publicUrl!,
    dataDir: config.dataDir,
    adminToken: file === undefined ? undefined : fs.readFileSync(file, 'utf8').trim(),
    secondAdmin: () => demoSecondAdmin(ctx),
    now: ctx.now(),
    clock: options.clock,
    existing: options.existing,
  });
}

/**
 * `--clock-offset` is refused unless the demo made the store (or makes it now). A refused
 * offset on a data directory with no store yet leaves no store behind.
 */
async function checkClockOffset(config: Config, demo: boolean): Promise<void> {
  const sqliteFile = path.join(config.dataDir, sqliteFileName);
  if (config.databaseUrl === undefined && !fs.existsSync(sqliteFile)) {
    return checkClockOffsetAllowed(undefined, demo);
  }
  const store = await openStore(config);
  try {
    await checkClockOffsetAllowed(store.db, demo);
  } finally {
    await store.close();
  }
}

interface HeldLines extends DestinationStream {
  release(): void;
}

/** Lines held back until released, then written in order; after that, written as they come. */
function heldLines(out: NodeJS.WritableStream): HeldLines {
  let held: string[] | undefined = [];
  return {
    write(line: string) {
      if (held === undefined) out.write(line);
      else held.push(line);
    },
    release() {
      const lines = held ?? [];
      held = undefined;
      for (const line of lines) out.write(line);
    },
  };
}

/** SIGTERM or SIGINT: requests in flight finish, then the store closes and the process exits. */
function stopOnSignals(ctx: AppContext, shutDown: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down: finishing requests in flight');
    await shutDown();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** A port in use (or not ours to take) is the operator's to change: one line naming how. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(`port ${port} on ${host} is in use; choose another with --port or MDIS_PORT`);
  }
  if (code === 'EACCES') {
    return new ConfigError(
      `port ${port} on ${host} is not allowed to this user; choose another with --port or MDIS_PORT`,
    );
  }
  return error;
}

import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, parsePort, parseWitness, type WitnessEndpoint } from '../config.ts';
import { type AppContext, createContext } from '../context.ts';
import { DemoClock, loadLivingPopulation, storeIsNew } from '../demo/living-population.ts';
import { buildServer } from '../http/server.ts';
import { loadPolicy } from '../policy/load.ts';
import { ensureFirstAdmin } from '../principals/first-admin.ts';
import { claimDataDir } from '../util/data-dir.ts';
import { demoSecondAdmin, demoSignIns } from './demo-store.ts';

interface ServeOptions {
  port?: number;
  host?: string;
  data?: string;
  policy?: string;
  demo?: boolean;
  witness?: WitnessEndpoint[];
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
    .option('--demo', 'on a new store, load the demo’s people (Tom and a token per role) and print sign-ins')
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
  let ctx: AppContext;
  // On a new store the demo's population comes with a year of history: the store starts then.
  let living: DemoClock | undefined;
  try {
    living = options.demo && (await storeIsNew(config)) ? new DemoClock() : undefined;
    ctx = await createContext(config, { now: living?.now });
  } catch (error) {
    release();
    throw error;
  }
  const adminTokenFile = await ensureFirstAdmin(ctx.principals, config.dataDir);
  if (adminTokenFile !== undefined) {
    ctx.logger.info({ file: adminTokenFile }, 'new store: the first admin token is in this file (mode 0600)');
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
  ctx.logger.info(
    { address, publicUrl: config.publicUrl, store: ctx.store.engine, location: ctx.store.location },
    'mdis is serving',
  );
  if (options.demo) {
    const adminToken =
      adminTokenFile === undefined ? undefined : fs.readFileSync(adminTokenFile, 'utf8').trim();
    process.stdout.write(
      await demoSignIns({
        address,
        publicUrl: config.publicUrl,
        dataDir: config.dataDir,
        adminToken,
        secondAdmin: () => demoSecondAdmin(ctx),
        now: ctx.now(),
        existing: population?.existing,
      }),
    );
  }
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

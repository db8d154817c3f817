import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Command, Option } from 'commander';
import { loadConfig, parsePort } from '../config.ts';
import { createContext } from '../context.ts';
import { buildServer } from '../http/server.ts';
import { ensureFirstAdmin } from '../principals/first-admin.ts';
import { demoSignIns } from './demo-store.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the HTTP API (SQLite under --data, or PostgreSQL with MDIS_DATABASE_URL)')
    .addOption(
      new Option('--port <port>', 'port to listen on (env MDIS_PORT, default 7070)').argParser(parsePort),
    )
    .addOption(new Option('--host <host>', 'address to bind (env MDIS_HOST, default 127.0.0.1)'))
    .addOption(new Option('--data <dir>', 'data directory (env MDIS_DATA_DIR, default ./data)'))
    .addOption(new Option('--policy <file>', 'policy file (env MDIS_POLICY, default the one shipped)'))
    .option('--demo', 'on a new store, load the demo’s people (Tom and a token per role) and print sign-ins')
    .action(
      async (options: { port?: number; host?: string; data?: string; policy?: string; demo?: boolean }) => {
        const config = loadConfig({
          port: options.port,
          host: options.host,
          dataDir: options.data,
          policyFile: options.policy,
        });
        const ctx = await createContext(config);
        const adminTokenFile = await ensureFirstAdmin(ctx.principals, config.dataDir);
        if (adminTokenFile !== undefined) {
          ctx.logger.info(
            { file: adminTokenFile },
            'new store: the first admin token is in this file (mode 0600)',
          );
        }
        const app = await buildServer(ctx, { processMetrics: true });
        ctx.startJobs();
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          ctx.logger.info({ signal }, 'shutting down: finishing requests in flight');
          await app.close();
          await ctx.close();
          process.exit(0);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
        const address = await app.listen({ port: config.port, host: config.host });
        // Without MDIS_PUBLIC_URL, people and worlds reach this instance at localhost (a
        // passkey's RP ID must be a host name) on the port it listens on.
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
              now: ctx.now(),
            }),
          );
        }
      },
    );
}

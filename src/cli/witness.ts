import { Command, Option } from 'commander';
import { pino } from 'pino';
import { ConfigError, loadWitnessConfig, parsePort, type WitnessConfig } from '../config.ts';
import { CheckpointError } from '../ledger/checkpoint.ts';
import { Witness } from '../ledger/witness.ts';
import { witnessServer } from '../ledger/witness-server.ts';
import { claimDataDir } from '../util/data-dir.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withWitnessOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--data <dir>',
        'the witness’s own directory (env MDIS_WITNESS_DATA_DIR, default ./witness)',
      ),
    )
    .addOption(
      new Option(
        '--name <name>',
        'its key name, fixed on first start (env MDIS_WITNESS_NAME, default mdis.example/witness)',
      ),
    );
}

export function witnessCommand(): Command {
  const witness = new Command('witness').description(
    'an independent witness (C2SP tlog-witness): cosigns a log’s checkpoints only as it grows append-only',
  );
  withWitnessOptions(
    witness.command('serve', { isDefault: true }).description('run the witness (the default)'),
  )
    .addOption(
      new Option('--port <port>', 'port to listen on (env MDIS_WITNESS_PORT, default 7380)').argParser(
        parsePort,
      ),
    )
    .addOption(new Option('--host <host>', 'address to bind (env MDIS_WITNESS_HOST, default 127.0.0.1)'))
    .addOption(
      new Option(
        '--log <verifier key>',
        'a log to witness, by its verifier key (`mdis log key`); repeat for more, or for a log’s new key when it rotates (env MDIS_WITNESS_LOGS)',
      ).argParser(collect),
    )
    .action(serveWitness);
  withWitnessOptions(
    witness.command('key').description('print the witness’s verifier key (made on first use)'),
  ).action((options: { data?: string; name?: string }) => {
    const config = loadWitnessConfig({ dataDir: options.data, name: options.name });
    process.stdout.write(`${openWitness(config).verifierKey}\n`);
  });
  return witness;
}

async function serveWitness(options: {
  data?: string;
  name?: string;
  port?: number;
  host?: string;
  log?: string[];
}): Promise<void> {
  const config = loadWitnessConfig({
    dataDir: options.data,
    name: options.name,
    port: options.port,
    host: options.host,
    logs: options.log,
  });
  if (config.logs.length === 0) {
    throw new ConfigError(
      'a witness needs at least one log to witness: --log <verifier key> or MDIS_WITNESS_LOGS',
    );
  }
  const logger = pino({ level: config.logLevel });
  // One process per directory: two would each check an old size the other is about to change.
  claimDataDir(config.dataDir);
  const witness = openWitness(config);
  const server = witnessServer(witness, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new ConfigError(`port ${config.port} on ${config.host} is in use; choose another with --port`);
    }
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info(
    {
      address: `http://${config.host}:${port}`,
      name: witness.name,
      verifierKey: witness.verifierKey,
      logs: config.logs,
    },
    'mdis witness is serving',
  );
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** A key or name the witness cannot use is the operator's to fix: one line, no stack. */
function openWitness(config: WitnessConfig): Witness {
  try {
    return Witness.open({ dir: config.dataDir, name: config.name, logs: config.logs });
  } catch (error) {
    if (error instanceof CheckpointError) throw new ConfigError(error.message);
    throw error;
  }
}

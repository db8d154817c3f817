import fs from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError, parseWitness } from '../config.ts';
import { openCommandContext } from '../context.ts';
import { openStore } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import { verifierKey, verifierKeyId } from '../ledger/checkpoint.ts';
import { logOriginFor } from '../ledger/log-origin.ts';
import { readStoredLog } from '../ledger/stored-log.ts';
import { logOrigin, verifyEntries, verifyOverHttp } from '../ledger/verify.ts';
import { askWitnesses, type TrustedWitness } from '../ledger/verify-witnesses.ts';
import { storeConfig, withStoreOptions } from './options.ts';
import { stderrLogger } from './run.ts';

export function logCommand(): Command {
  const log = new Command('log').description('the transparency log: its key, and verifying it');

  withStoreOptions(log.command('key').description('print the verifier key of the log’s checkpoints')).action(
    async (options: { data?: string }) => {
      const ctx = await openCommandContext(storeConfig(options), { logger: stderrLogger() });
      try {
        process.stdout.write(`${ctx.ledger.verifierKey}\n`);
      } finally {
        await ctx.close();
      }
    },
  );

  withStoreOptions(
    log
      .command('verify')
      .description(
        'recompute the log from its entries; check every entry, the signed checkpoint, and consistency',
      )
      .addOption(new Option('--url <url>', 'verify a running mdis over HTTP instead of a data directory'))
      .addOption(
        new Option('--token <token>', 'a token to send with the reads (not needed: the log is public)'),
      )
      .addOption(
        new Option(
          '--key <verifier>',
          'the verifier key to trust; later keys only through the log’s key rotations (default: the log’s first key, from the store or the server)',
        ),
      )
      .addOption(new Option('--since <file>', 'an earlier signed checkpoint the log must be consistent with'))
      .addOption(
        new Option(
          '--witness <[url=]key>',
          'a witness to trust, by its verifier key; with <url>= also ask it what it cosigned. Repeat for more',
        ).argParser(collectWitness),
      )
      .addOption(
        new Option(
          '--quorum <n>',
          'how many of the --witness keys must cosign the latest checkpoint (default: all)',
        ).argParser(parseQuorum),
      ),
  ).action(async (options: VerifyOptions) => {
    const since = options.since === undefined ? undefined : fs.readFileSync(options.since, 'utf8');
    const witnesses = witnessOptions(options);
    const report =
      options.url === undefined
        ? await verifyStore(options, since, witnesses)
        : await verifyRemote({ url: options.url, token: options.token, key: options.key, since, witnesses });
    for (const problem of report.problems) process.stdout.write(`problem: ${problem}\n`);
    if (report.withheld > 0) {
      process.stdout.write(
        `note: ${report.withheld} entries from before the switch to commitments were checked by their leaf hashes only (an auditor's --token reads them in full)\n`,
      );
    }
    if (report.ok) {
      const cosigned =
        witnesses === undefined ? '' : `, cosigned by a quorum of ${witnesses.quorum} witnesses`;
      const rotations = report.keys.length - 1;
      const keys =
        rotations === 0
          ? ''
          : `, ${rotations} key rotation${rotations === 1 ? '' : 's'} followed to key ${verifierKeyId(report.keys.at(-1)!.verifierKey)}`;
      process.stdout.write(
        `ok: ${report.size} entries, root ${report.root}, checkpoint signature valid${keys}${cosigned}\n`,
      );
    } else {
      if (report.firstBadIndex !== undefined)
        process.stdout.write(`first bad index: ${report.firstBadIndex}\n`);
      process.exitCode = 1;
    }
  });
  return log;
}

interface VerifyOptions {
  data?: string;
  url?: string;
  token?: string;
  key?: string;
  since?: string;
  witness?: TrustedWitness[];
  quorum?: number;
}

type WitnessOptions = { trusted: TrustedWitness[]; quorum: number } | undefined;

/** `<url>=<key>` names where to ask the witness too; a bare key only checks its cosignatures. */
function collectWitness(raw: string, previous: TrustedWitness[] = []): TrustedWitness[] {
  return [...previous, /^https?:\/\//.test(raw) ? parseWitness(raw, '--witness') : { verifierKey: raw }];
}

function parseQuorum(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`--quorum must be a positive integer, got "${raw}"`);
  return value;
}

function witnessOptions(options: VerifyOptions): WitnessOptions {
  const trusted = options.witness ?? [];
  if (trusted.length === 0) {
    if (options.quorum !== undefined)
      throw new ConfigError('--quorum needs the witnesses to count: --witness');
    return undefined;
  }
  const quorum = options.quorum ?? trusted.length;
  if (quorum > trusted.length) {
    throw new ConfigError(`--quorum ${quorum} is more than the ${trusted.length} witnesses given`);
  }
  return { trusted, quorum };
}

/** Verifies over HTTP; what the operator got wrong (no token, a bad URL, a refusal) is one line. */
async function verifyRemote(options: {
  url: string;
  token?: string;
  key?: string;
  since?: string;
  witnesses: WitnessOptions;
}) {
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    // named below
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(`--url must be an http:// or https:// URL of a running mdis, got "${options.url}"`);
  }
  try {
    // The entries are public; a token, if given, is sent along (older servers asked an auditor's).
    return await verifyOverHttp({ ...options, token: options.token || undefined });
  } catch (error) {
    const cause =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new ConfigError(`could not read the log at ${url.origin}: ${cause.split('\n')[0]}`);
  }
}

// Reads the store directly, without starting the services: a tampered log must be read as it
// is, and verifying must not append anything to it.
async function verifyStore(
  options: { data?: string; key?: string },
  since: string | undefined,
  witnesses: WitnessOptions,
) {
  const config = storeConfig(options);
  const store = await openStore(config);
  try {
    const log = await readStoredLog(store.db);
    const origin = await logOriginFor(store.db, config);
    const trusted =
      options.key ?? (log.publicKey === undefined ? undefined : verifierKey(origin, log.publicKey));
    if (trusted === undefined) throw new ValidationError('key', 'the store has no log key yet; give --key');
    const views = witnesses && (await askWitnesses(witnesses.trusted, logOrigin(trusted)));
    return await verifyEntries({
      entries: log.entries,
      checkpoint: log.checkpoint,
      verifierKey: trusted,
      handover: log.handover,
      since,
      witnesses: views && witnesses && { views, quorum: witnesses.quorum },
    });
  } finally {
    await store.close();
  }
}

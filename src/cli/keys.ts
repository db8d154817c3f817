import { Command, Option } from 'commander';
import { openCommandContext } from '../context.ts';
import { type KeyInfo, type KeyPurposeName, keyPurposes } from '../keys/purposes.ts';
import { storeConfig, withStoreOptions } from './options.ts';
import { stderrLogger } from './run.ts';

const names = Object.keys(keyPurposes) as KeyPurposeName[];
const purposeOption = () =>
  new Option('--purpose <purpose>', `what the key signs: ${describe()}`).choices(names);

function describe(): string {
  return names.map((name) => `${name} (${keyPurposes[name].signs})`).join(', ');
}

export function keysCommand(): Command {
  const keys = new Command('keys').description('the keys mdis signs with: list and rotate them');

  withStoreOptions(
    keys
      .command('rotate')
      .description(
        'make a new signing key for one purpose; the old public keys stay published until what they signed expires',
      )
      .addOption(purposeOption().makeOptionMandatory()),
  ).action(async (options: { data?: string; purpose: KeyPurposeName }) => {
    const ctx = await openCommandContext(storeConfig(options), { logger: stderrLogger() });
    try {
      const { kid } = await keyPurposes[options.purpose].rotate(ctx, 'operator');
      process.stdout.write(`rotated ${options.purpose}: new key ${kid}\n`);
    } finally {
      await ctx.close();
    }
  });

  withStoreOptions(
    keys
      .command('list')
      .description('each purpose’s keys: kid, created, retired, published until')
      .addOption(purposeOption()),
  ).action(async (options: { data?: string; purpose?: KeyPurposeName }) => {
    const ctx = await openCommandContext(storeConfig(options), { logger: stderrLogger() });
    try {
      for (const name of options.purpose === undefined ? names : [options.purpose]) {
        for (const key of await keyPurposes[name].list(ctx))
          process.stdout.write(`${name}\t${key.kid}\t${state(key)}\n`);
      }
    } finally {
      await ctx.close();
    }
  });
  return keys;
}

function state(key: KeyInfo): string {
  const created = `created ${key.createdAt}`;
  if (key.retiredAt === null) return `${created}\tsigning`;
  const until = key.expiresAt === null ? 'published with no end set' : `published until ${key.expiresAt}`;
  return `${created}\tretired ${key.retiredAt}\t${until}`;
}

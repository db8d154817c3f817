import { type Command, Option } from 'commander';
import { type Config, loadConfig } from '../config.ts';

/** The store options every command that opens the store takes. */
export function withStoreOptions(command: Command): Command {
  return command.addOption(
    new Option('--data <dir>', 'data directory: SQLite file and keys (env MDIS_DATA_DIR, default ./data)'),
  );
}

export function storeConfig(options: { data?: string }): Config {
  return loadConfig({ dataDir: options.data });
}

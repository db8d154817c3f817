import type { Command } from 'commander';
import { type Logger, pino } from 'pino';
import { ConfigError } from '../config.ts';
import { MdisError } from '../errors.ts';

/** Runs the program; known errors become one line on stderr and exit code 2, never a stack. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof MdisError || error instanceof ConfigError) {
      process.stderr.write(`mdis: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

/** Commands whose stdout is their answer log to stderr. */
export function stderrLogger(): Logger {
  return pino({ level: 'warn' }, pino.destination(2));
}

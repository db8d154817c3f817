import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { openCommandContext } from '../context.ts';
import { storeConfig, withStoreOptions } from './options.ts';
import { stderrLogger } from './run.ts';

export function erasureCommand(): Command {
  const erasure = new Command('erasure').description('erasure under the retention policy');
  withStoreOptions(
    erasure
      .command('run')
      .description(
        'erase now every subject whose erasure is due and that nothing holds (what `mdis serve` does each minute)',
      ),
  ).action(async (options: { data?: string }) => {
    const ctx = await openCommandContext(storeConfig(options), { logger: stderrLogger() });
    const bar = new SingleBar({ format: 'erasing {bar} {percentage}% | {value}/{total} due subjects' });
    try {
      // Lapsed orders first: an erasure they held may go in this same run.
      await ctx.preservations.logLapsed();
      bar.start(1, 0);
      const pass = await ctx.erasures.eraseDue((done, total) => {
        bar.setTotal(total);
        bar.update(done);
      });
      bar.stop();
      process.stdout.write(`erased ${pass.erased} subjects; ${pass.held} due but held\n`);
    } finally {
      bar.stop();
      await ctx.close();
    }
  });
  return erasure;
}

import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { openCommandContext } from '../context.ts';
import { recomputeAll } from '../credit/recompute.ts';
import { storeConfig, withStoreOptions } from './options.ts';
import { stderrLogger } from './run.ts';

export function creditCommand(): Command {
  const credit = new Command('credit').description('the credit model: scores, grades and ranks');
  withStoreOptions(
    credit
      .command('recompute')
      .description(
        'recompute every score from its contributions (it should change none unless the policy did)',
      ),
  ).action(async (options: { data?: string }) => {
    const ctx = await openCommandContext(storeConfig(options), { logger: stderrLogger() });
    const bar = new SingleBar({
      format: 'recomputing {bar} {percentage}% | {value}/{total} subjects | {eta}s left',
    });
    try {
      const started = performance.now();
      bar.start(1, 0);
      const result = await recomputeAll({
        store: ctx.store,
        ledger: ctx.ledger,
        eligibility: ctx.eligibility,
        model: ctx.credit.model,
        now: ctx.now(),
        cause: 'recompute',
        progress: (done, total) => {
          bar.setTotal(total);
          bar.update(done);
        },
      });
      bar.stop();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `recomputed ${result.subjects} subjects from ${result.contributions} contributions in ${seconds} s: ` +
          `${result.changed} scores changed, ${result.gradeChanged.length} grades changed\n`,
      );
    } finally {
      bar.stop();
      await ctx.close();
    }
  });
  return credit;
}

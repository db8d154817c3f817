import { Command, Option } from 'commander';
import type { TransparencyReport } from '../api/disclosures.ts';
import { openCommandContext } from '../context.ts';
import { storeConfig, withStoreOptions } from './options.ts';
import { stderrLogger } from './run.ts';

export function transparencyCommand(): Command {
  const transparency = new Command('transparency').description(
    'what authorities asked for and got: the public transparency report',
  );
  withStoreOptions(
    transparency
      .command('report')
      .description(
        'count the acts of power of a period (disclosures, staff reads, break-glass acts, principal changes), with the log’s size and root at its end',
      )
      .addOption(
        new Option('--from <date>', 'start of the period (date or date-time; default: a year before --to)'),
      )
      .addOption(new Option('--to <date>', 'end of the period, exclusive (default: now)'))
      .addOption(new Option('--json', 'print the report as JSON, as GET /v1/transparency/report answers')),
  ).action(async (options: { data?: string; from?: string; to?: string; json?: boolean }) => {
    const ctx = await openCommandContext(storeConfig(options), { logger: stderrLogger() });
    try {
      const report = await ctx.transparency.report({ from: options.from, to: options.to });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    } finally {
      await ctx.close();
    }
  });
  return transparency;
}

/** The report as text for people: one count a line, grouped as in the JSON. */
export function formatReport(report: TransparencyReport): string {
  const lines = [`Disclosure requests from ${report.from} to ${report.to}: ${report.requests}`];
  const group = (title: string, counts: Record<string, number>) => {
    lines.push(`${title}:`);
    const entries = Object.entries(counts);
    if (entries.length === 0) lines.push('  none');
    for (const [key, n] of entries) lines.push(`  ${key}: ${n}`);
  };
  group('by legal basis', report.byLegalBasis);
  group('by outcome', report.byOutcome);
  group('by offence', report.byOffence);
  group('by jurisdiction', report.byJurisdiction);
  group('refused by policy because', report.refusalReasons);
  group('emergency', report.emergency);
  lines.push(`reads of disclosed attributes: ${report.reads}`);
  group('requests with or without a case', report.byCase);
  lines.push(`staff reads of profiles: ${report.staffReads.total}`);
  group('staff reads by purpose', report.staffReads.byPurpose);
  lines.push(`break-glass acts: ${report.breakGlass.total}`);
  group('break-glass acts by kind', report.breakGlass.byKind);
  group('principal changes', report.principalChanges);
  lines.push(
    `preservation orders: ${report.preservations.ordered} ordered, ${report.preservations.extended} extended`,
  );
  group('preservation orders and extensions by legal basis', report.preservations.byLegalBasis);
  lines.push(
    report.log === null
      ? 'log: no checkpoint signed by the end of the period'
      : `log at ${report.log.checkpointAt}: ${report.log.size} entries, root ${report.log.root}`,
  );
  return `${lines.join('\n')}\n`;
}

import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { ConfigError } from '../config.ts';
import { type SimulationResult, simulate } from '../simulate/population.ts';
import { maxSubjects } from '../simulate/profiles.ts';
import { storeConfig, withStoreOptions } from './options.ts';
import { stderrLogger } from './run.ts';

interface SimulateOptions {
  subjects: string;
  events: string;
  seed: string;
  data?: string;
  json?: boolean;
}

// An enrolment (vault, attribute versions, avatars) costs several conduct events: the bar counts
// it so, so that its ETA holds through the enrolment-heavy first day of the simulated year.
const subjectWeight = 8;

export function simulateCommand(): Command {
  return withStoreOptions(
    new Command('simulate')
      .description(
        'fill an empty store with a synthetic population and a year of its conduct, reports, decisions ' +
          'and appeals, through the services; reproducible for a seed (for benchmarks and tests)',
      )
      .requiredOption('--subjects <n>', 'subjects to enrol: ~90% persons, 8% organisations, 2% agencies')
      .requiredOption('--events <n>', 'conduct events the worlds send over the year')
      .option('--seed <n>', 'the same seed gives the same population and history', '1')
      .option('--json', 'print the summary as JSON'),
  ).action(async (options: SimulateOptions) => {
    // Bad flags are refused before the store is opened, let alone created.
    const plan = {
      subjects: integerFlag('--subjects', options.subjects, 1, maxSubjects),
      events: integerFlag('--events', options.events, 1, Number.MAX_SAFE_INTEGER),
      seed: integerFlag('--seed', options.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    };
    const bar = new SingleBar({
      format:
        'simulating {bar} {percentage}% | {subjects}/{totalSubjects} subjects | ' +
        '{events}/{totalEvents} events | {eta_formatted} left',
      etaBuffer: 50,
    });
    const total = plan.subjects * subjectWeight + plan.events;
    bar.start(total, 0, { subjects: 0, events: 0, totalSubjects: plan.subjects, totalEvents: plan.events });
    const started = performance.now();
    let result: SimulationResult;
    try {
      result = await simulate(
        { config: storeConfig(options), logger: stderrLogger() },
        {
          ...plan,
          onProgress: (p) => bar.update(p.subjects * subjectWeight + p.events, p),
        },
      );
    } finally {
      bar.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      options.json ? `${JSON.stringify({ ...result, seconds })}\n` : describe(result, seconds),
    );
  });
}

function integerFlag(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^-?[0-9]+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = min === 1 ? `a positive integer up to ${max}` : 'an integer';
    throw new ConfigError(`${flag} must be ${range}, got "${raw}"`);
  }
  return value;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describe(r: SimulationResult, seconds: number): string {
  const subjects = r.subjects.person + r.subjects.organisation + r.subjects.agency;
  const cases = Object.values(r.cases).reduce((a, b) => a + b, 0);
  const sanctions = Object.values(r.sanctions.byKind).reduce((a, b) => a + b, 0);
  const decisions = r.decisions.upheld + r.decisions.dismissed;
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, n]) => `${n} ${name}`)
      .join(', ');
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const rate = (n: number, ms: number) => Math.round((n * 1000) / Math.max(ms, 1)).toLocaleString('en');
  const t = r.timings;
  const events = r.events.accepted + r.events.duplicate + r.events.rejected;
  const lines = [
    `simulated ${r.from} to ${r.to} (seed ${r.seed}) in ${seconds.toFixed(1)} s`,
    `subjects    ${subjects} (${count(r.subjects.person, 'person')}, ${count(r.subjects.organisation, 'organisation')}, ${count(r.subjects.agency, 'agency', 'agencies')})`,
    `worlds      ${r.worlds}`,
    `avatars     ${r.avatars}`,
    `events      ${r.events.accepted} accepted, ${r.events.duplicate} duplicate, ${r.events.rejected} rejected`,
    `reports     ${r.reports.filed} (and ${r.reports.duplicate} repeated by the same reporter)`,
    `cases       ${cases}: ${list(r.cases)}`,
    `decisions   ${decisions}: ${r.decisions.upheld} upheld, ${r.decisions.dismissed} dismissed`,
    `sanctions   ${sanctions}${sanctions ? `: ${list(r.sanctions.byKind)}` : ''} (${r.sanctions.active} active)`,
    `strikes     ${r.strikes}`,
    `appeals     ${r.appeals.filed}: ${r.appeals.upheld} upheld, ${r.appeals.overturned} overturned`,
    `grades      ${r.grades.map((g) => `${g.grade} ${g.count}`).join(', ')}`,
    `time        ${s(t.cast)} s planning, ${s(t.enrol)} s enrolling, ${s(t.events)} s events, ` +
      `${s(t.cases)} s reports and decisions, ${s(t.expiry)} s expiring sanctions, ${s(t.scoring)} s rescoring`,
    `throughput  ${rate(subjects, t.enrol)} enrolments/s, ${rate(events, t.events)} events/s`,
  ];
  return `${lines.join('\n')}\n`;
}

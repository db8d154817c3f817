// Rates, warm-up and the tables `npm run bench` prints. Every figure is set against a baseline
// measured in the same run on the same machine, so that a slow machine does not fail a target that
// is a ratio; targets that DESIGN.md states as absolute numbers are checked as such.
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';

/** How long each rate is measured in all, in `rounds` rounds, after a warm-up of `warmUpSeconds`. */
export const seconds = 2;
export const rounds = 4;
export const warmUpSeconds = 0.5;

/**
 * An operation to measure: a sync one runs in a tight loop, an async one one call at a time, each
 * awaited. It is called with 0, 1, 2, … without repeats, so it may use the number as a unique key.
 */
export type Measured = { sync: (i: number) => unknown } | { async: (i: number) => Promise<unknown> };

/**
 * Operations per second of each operation. After a warm-up of each, they run in alternating
 * rounds, and the best round of each counts: on a shared machine a burst of load elsewhere then
 * slows one round of every operation instead of all of one operation. The clock is read every
 * 256 sync or 16 async operations, or every `checkEvery` for operations that take long (a whole
 * transaction of a thousand writes) and would otherwise overrun a round many times.
 */
export async function rates<K extends string>(
  ops: Record<K, Measured>,
  options: { checkEvery?: number } = {},
): Promise<Record<K, number>> {
  const names = Object.keys(ops) as K[];
  const next = {} as Record<K, number>;
  const best = {} as Record<K, number>;
  for (const name of names) {
    next[name] = (await loop(ops[name], warmUpSeconds, 0, options.checkEvery)).next;
    best[name] = 0;
  }
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const { rate, next: after } = await loop(ops[name], seconds / rounds, next[name], options.checkEvery);
      next[name] = after;
      best[name] = Math.max(best[name], rate);
    }
  }
  return best;
}

async function loop(
  measured: Measured,
  forSeconds: number,
  first: number,
  checkEvery: number | undefined,
): Promise<{ rate: number; next: number }> {
  const start = performance.now();
  const end = start + forSeconds * 1000;
  let n = first;
  if ('sync' in measured) {
    const op = measured.sync;
    const between = checkEvery ?? 256;
    do {
      for (let k = 0; k < between; k++) op(n++);
    } while (performance.now() < end);
  } else {
    const op = measured.async;
    const between = checkEvery ?? 16;
    do {
      for (let k = 0; k < between; k++) await op(n++);
    } while (performance.now() < end);
  }
  return { rate: (n - first) / ((performance.now() - start) / 1000), next: n };
}

/** Progress goes to stderr, so that stdout holds only the tables. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Memory in use: the JavaScript heap and the typed arrays' buffers, which sit outside it. After a
 * full collection when one can be forced: `--expose-gc` is switched on here so that `npm run
 * bench` needs no flag. `exact` is false when the figure includes garbage.
 */
export function memoryInUse(): { bytes: number; exact: boolean } {
  const gc = forcedGc();
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { bytes: heapUsed + arrayBuffers, exact: gc !== undefined };
}

let gcFunction: (() => void) | null | undefined;
function forcedGc(): (() => void) | undefined {
  if (gcFunction === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gcFunction = vm.runInNewContext('gc') as () => void;
    } catch {
      gcFunction = null;
    }
  }
  return gcFunction ?? undefined;
}

/**
 * What a row must reach: a share of its baseline, an absolute rate, or a ceiling on a time (in
 * milliseconds, or in the row's own unit for `atMost`).
 */
export type Target =
  | { ratioAtLeast: number }
  | { rateAtLeast: number }
  | { msAtMost: number }
  | { atMost: number };

/** Operations per second, or a time: a latency, a duration per item, a whole job. */
export type Unit = 'ops/s' | 'ms' | 's' | 'µs';

export interface Row {
  name: string;
  /** Operations per second, or a time in `unit`. */
  value: number;
  unit?: Unit;
  baseline: string;
  baselineValue: number;
  target?: Target;
}

export interface SuiteReport {
  /** One line of what was measured and how. */
  title: string;
  rows: Row[];
  /** Short facts under the table (sizes, shares, memory). */
  notes?: string[];
}

export interface Suite {
  name: string;
  run(): Promise<SuiteReport>;
}

const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
export const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
export const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

const isTime = (unit: Unit | undefined) => unit !== undefined && unit !== 'ops/s';

function formatValue(row: Row, value: number): string {
  if (!isTime(row.unit)) return whole.format(value);
  return `${value.toFixed(row.unit === 's' ? 2 : 1)} ${row.unit}`;
}

function formatTarget(row: Row): string {
  const { target } = row;
  if (target === undefined) return '-';
  if ('ratioAtLeast' in target) return `≥ ${percent(target.ratioAtLeast)}`;
  if ('rateAtLeast' in target) return `≥ ${whole.format(target.rateAtLeast)}/s`;
  if ('atMost' in target) return `≤ ${target.atMost} ${row.unit ?? 'ops/s'}`;
  return `≤ ${target.msAtMost} ms`;
}

export function met(row: Row): boolean | undefined {
  const { target } = row;
  if (target === undefined) return undefined;
  if ('ratioAtLeast' in target) return row.value / row.baselineValue >= target.ratioAtLeast;
  if ('rateAtLeast' in target) return row.value >= target.rateAtLeast;
  if ('atMost' in target) return row.value <= target.atMost;
  return row.value <= target.msAtMost;
}

export function formatTable(report: SuiteReport): string {
  const header = ['benchmark', 'value', 'baseline', 'baseline value', 'ratio', 'target', ''];
  const rows = report.rows.map((row) => {
    const ratio = row.value / row.baselineValue;
    const verdict = met(row);
    return [
      row.name,
      formatValue(row, row.value),
      row.baseline,
      formatValue(row, row.baselineValue),
      // A latency ratio reads better as "how many times slower" than as a percentage.
      isTime(row.unit) ? `${ratio.toFixed(2)}×` : percent(ratio),
      formatTarget(row),
      verdict === undefined ? '' : verdict ? 'met' : 'MISSED',
    ];
  });
  const times = [...new Set(report.rows.map((r) => r.unit).filter(isTime))];
  header[1] = ['ops/s', ...times].join(' | ');
  header[3] = `baseline ${header[1]}`;
  const all = [header, ...rows];
  const numeric = new Set([1, 3, 4]);
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  const lines = all.map((row) =>
    row
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  return [report.title, ...lines, ...(report.notes ?? []).map((note) => `  ${note}`)].join('\n');
}

export function machineFacts(): string {
  const cpus = os.cpus();
  return `node ${process.version}, ${cpus.length} cpus (${cpus[0]?.model.trim() ?? 'unknown'}), ${megabytes(os.totalmem())} RAM, ${os.platform()} ${os.release()}`;
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

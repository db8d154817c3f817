import { ConfigError } from '../config.ts';
import type { Db } from '../db/database.ts';
import { storeIsNew, storeMadeByDemo } from '../demo/store-origin.ts';
import { dayMs, hourMs, minuteMs } from '../util/time.ts';

const unitMs: Record<string, number> = { w: 7 * dayMs, d: dayMs, h: hourMs, m: minuteMs };
/** Ten years: far enough for any demonstration, near enough that every date stays valid. */
const limitMs = 3650 * dayMs;

/**
 * `--clock-offset`: a length of time such as `15d`, `12h`, `1d12h` or `-2d` (weeks, days, hours,
 * minutes), in milliseconds; negative sets the clock back.
 */
export function parseClockOffset(raw: string): number {
  const match = /^([+-]?)((?:\d{1,6}[wdhm])+)$/.exec(raw.trim());
  const parts = match === null ? [] : [...match[2]!.matchAll(/(\d+)([wdhm])/g)];
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * unitMs[unit!]!, 0);
  if (match === null || ms > limitMs) {
    throw new ConfigError(
      `--clock-offset must be a length of time such as 15d, 12h, 1d12h or -2d (units w, d, h, m; at most 3650d), got "${raw}"`,
    );
  }
  return match[1] === '-' ? -ms : ms;
}

/** "15 days ahead", "1 day 12 hours behind", "the real time". */
export function describeClockOffset(ms: number): string {
  if (ms === 0) return 'the real time';
  const words: string[] = [];
  let rest = Math.abs(ms);
  for (const [unit, size] of [
    ['day', dayMs],
    ['hour', hourMs],
    ['minute', minuteMs],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) words.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return `${words.join(' ')} ${ms > 0 ? 'ahead' : 'behind'}`;
}

/**
 * Refuses a clock offset unless the demo made the store, or will (`--demo` on a new store, or on
 * no store yet: `db` undefined): an operator's store must never hold acts dated by a false clock.
 */
export async function checkClockOffsetAllowed(db: Db | undefined, demo: boolean): Promise<void> {
  if (db === undefined ? demo : (await storeMadeByDemo(db)) || (demo && (await storeIsNew(db)))) return;
  throw new ConfigError(
    '--clock-offset is for demonstrations: it is refused on a store the demo did not make (start a new one with `mdis serve --demo` on an empty data directory)',
  );
}

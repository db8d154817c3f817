import { dayMs } from '../util/time.ts';
import type { Cast } from './cast.ts';

export const slotsPerDay = 4;
export const slotMs = dayMs / slotsPerDay;
/** Night, morning, afternoon, evening: worlds are busiest in the evening. */
const timeOfDay = [0.4, 0.8, 1.2, 1.6];

/**
 * The year's conduct in six-hour slots, from the day after the registry opens: when each slot
 * starts, and how many conduct events and reported incidents fall in it (more at weekends, in the
 * evening, and as the population grows), in whole numbers that add up to the totals asked for.
 */
export class Slots {
  readonly count: number;
  readonly events: Int32Array;
  readonly incidents: Int32Array;
  readonly #yearStart: number;

  constructor(
    cast: Cast,
    year: { start: number; days: number },
    totals: { events: number; incidents: number },
  ) {
    this.#yearStart = year.start;
    this.count = (year.days - 1) * slotsPerDay;
    const weights = new Float64Array(this.count);
    for (let slot = 0; slot < this.count; slot++) {
      // Weeks count from the start of the simulated year, not the calendar, so that a seed gives
      // the same history whatever day it runs.
      const weekday = Math.floor(slot / slotsPerDay) % 7;
      const weekend = weekday >= 5 ? 1.3 : 1;
      const present = cast.avatarsBefore(this.start(slot)) / Math.max(1, cast.avatarCount);
      weights[slot] = weekend * timeOfDay[slot % slotsPerDay]! * present;
    }
    this.events = apportion(totals.events, weights);
    this.incidents = apportion(totals.incidents, weights);
  }

  start(slot: number): number {
    return this.#yearStart + dayMs + slot * slotMs;
  }
}

/** Splits `total` over `weights` in whole numbers that add up to exactly `total`. */
export function apportion(total: number, weights: Float64Array): Int32Array {
  const counts = new Int32Array(weights.length);
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum <= 0) return counts;
  let cumulative = 0;
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]!;
    const upTo = i === weights.length - 1 ? total : Math.round((total * cumulative) / sum);
    counts[i] = upTo - given;
    given = upTo;
  }
  return counts;
}

import { dayMs } from '../util/time.ts';

/**
 * The simulation's clock: services read it through `now`, the simulation moves it forward as the
 * simulated year unfolds, so that every time the services record lies in the past year.
 */
export class SimClock {
  #ms: number;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** For `createContext(config, { now: clock.now })`. */
  readonly now = (): Date => new Date(this.#ms);

  get ms(): number {
    return this.#ms;
  }

  set(ms: number): void {
    this.#ms = ms;
  }
}

/** The simulated year: the 365 days that end at the last midnight (UTC) before `realNow`. */
export function simulatedYear(realNow = Date.now()): { start: number; end: number; days: number } {
  const end = Math.floor(realNow / dayMs) * dayMs;
  return { start: end - 365 * dayMs, end, days: 365 };
}

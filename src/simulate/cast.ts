import type { SubjectKind } from '../identity/attributes.ts';
import { dayMs, hourMs } from '../util/time.ts';
import { subjectProfile } from './profiles.ts';
import { pickCumulative, Random } from './random.ts';

/** The worlds of the simulation and how popular each is. */
export const simulatedWorlds = [
  { id: 'plaza', name: 'The Plaza', weight: 35 },
  { id: 'arcadia', name: 'Arcadia', weight: 25 },
  { id: 'neon-city', name: 'Neon City', weight: 18 },
  { id: 'harbor', name: 'Harbor', weight: 12 },
  { id: 'skyforge', name: 'Skyforge', weight: 10 },
] as const;

export const kindCodes: readonly SubjectKind[] = ['person', 'organisation', 'agency'];

/**
 * Everyone in the simulated population, who they are in the worlds and how they behave, held in
 * flat arrays (the full population may be a million subjects): when each subject enrols, its
 * avatars (world, handle) and, per avatar, cumulative weights of activity and of misconduct, so
 * that "a random active avatar" and "a random troublemaker" are each one binary search. Avatars are
 * numbered in enrolment order, so the avatars present at a time are a prefix of the arrays.
 */
export class Cast {
  readonly size: number;
  readonly kinds: Uint8Array;
  /** Subject i holds avatars avatarStart[i] … avatarStart[i + 1] − 1. */
  readonly avatarStart: Int32Array;
  readonly avatarWorld: Uint8Array;
  readonly avatarSubject: Int32Array;
  readonly avatarHandle: string[];
  readonly activity: Float64Array;
  readonly misconduct: Float64Array;
  /** Per world, its avatars' numbers in ascending order. */
  readonly worldAvatars: Int32Array[];
  readonly #start: number;
  readonly #initial: number;

  /** The population of `seed`, `size` subjects, enrolling from `start` (ms) over ~300 days. */
  constructor(seed: number, size: number, start: number) {
    this.size = size;
    this.#start = start;
    // Seven in ten are there when the registry opens; the rest join over the following 300 days.
    this.#initial = Math.max(1, Math.ceil(size * 0.7));
    this.kinds = new Uint8Array(size);
    this.avatarStart = new Int32Array(size + 1);
    const worlds: number[] = [];
    const subjects: number[] = [];
    const activity: number[] = [];
    const misconduct: number[] = [];
    this.avatarHandle = [];
    const worldWeights = simulatedWorlds.map((w, i) => [i, w.weight] as const);
    for (let i = 0; i < size; i++) {
      const profile = subjectProfile(seed, i);
      const rng = new Random(seed, 'traits', i);
      this.kinds[i] = kindCodes.indexOf(profile.kind);
      this.avatarStart[i] = worlds.length;
      // A few subjects account for most misconduct (Pareto); four persons in ten never misbehave.
      const unruly =
        profile.kind === 'agency' || rng.chance(0.4)
          ? 0
          : (rng.pareto(1.2, 500) - 1) * (profile.kind === 'person' ? 1 : 0.5);
      const count = avatarCount(rng, profile.kind);
      const chosen: number[] = [];
      while (chosen.length < count) {
        const world = rng.weighted(worldWeights);
        if (!chosen.includes(world)) chosen.push(world);
      }
      for (const world of chosen) {
        const busy = rng.logNormal(1) * (profile.kind === 'person' ? 1 : 3);
        const stem = rng
          .pick(profile.handleStems)
          .slice(0, 40)
          .replace(/[-.]+$/, '');
        this.avatarHandle.push(`${stem}.${i.toString(36)}`);
        worlds.push(world);
        subjects.push(i);
        activity.push((activity.at(-1) ?? 0) + busy);
        misconduct.push((misconduct.at(-1) ?? 0) + unruly * busy);
      }
    }
    this.avatarStart[size] = worlds.length;
    this.avatarWorld = Uint8Array.from(worlds);
    this.avatarSubject = Int32Array.from(subjects);
    this.activity = Float64Array.from(activity);
    this.misconduct = Float64Array.from(misconduct);
    const perWorld: number[][] = simulatedWorlds.map(() => []);
    for (const [avatar, world] of worlds.entries()) perWorld[world]!.push(avatar);
    this.worldAvatars = perWorld.map((list) => Int32Array.from(list));
  }

  get avatarCount(): number {
    return this.avatarWorld.length;
  }

  kindOf(subject: number): SubjectKind {
    return kindCodes[this.kinds[subject]!]!;
  }

  /** When subject `i` enrols (ms): non-decreasing in `i`. */
  enrolAt(i: number): number {
    if (i < this.#initial) return this.#start + hourMs + Math.floor((i * 20 * hourMs) / this.#initial);
    const late = this.size - this.#initial;
    return this.#start + dayMs + Math.floor(((i - this.#initial) * 300 * dayMs) / late);
  }

  /** How many subjects have enrolled before `time`. */
  subjectsBefore(time: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.enrolAt(mid) < time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** How many avatars exist at `time` (the first that many avatar numbers). */
  avatarsBefore(time: number): number {
    return this.avatarStart[this.subjectsBefore(time)]!;
  }

  /** An avatar among the first `present`, by activity or by misconduct. */
  pickAvatar(rng: Random, present: number, by: 'activity' | 'misconduct'): number {
    return pickCumulative(by === 'activity' ? this.activity : this.misconduct, present, rng.next());
  }

  /** An avatar of `world` among the first `present`, other than `not`; undefined if there is none. */
  otherInWorld(rng: Random, world: number, present: number, not: number): number | undefined {
    const list = this.worldAvatars[world]!;
    let count = 0;
    for (let high = list.length; count < high; ) {
      const mid = (count + high) >> 1;
      if (list[mid]! < present) count = mid + 1;
      else high = mid;
    }
    if (count < 2) return undefined;
    const at = rng.int(count);
    return list[at] === not ? list[(at + 1) % count] : list[at];
  }
}

function avatarCount(rng: Random, kind: SubjectKind): number {
  if (kind === 'agency') return 0;
  if (kind === 'organisation') return rng.chance(0.7) ? 1 : 0;
  return rng.weighted([
    [1, 50],
    [2, 35],
    [3, 15],
  ]);
}

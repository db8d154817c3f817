// Enforcement and conduct: eligibility checks in-process and over HTTP, and reports filed into
// cases, each against a baseline measured in the same run and the target DESIGN.md sets.
import { randomBytes } from 'node:crypto';
import { EligibilityIndex, type IndexedSanction } from '../src/enforcement/eligibility-index.ts';
import { AttributeVault } from '../src/identity/attribute-vault.ts';
import { newDigitalId } from '../src/identity/digital-id.ts';
import { PseudonymMap } from '../src/identity/service-pseudonyms.ts';
import { loadPolicy } from '../src/policy/load.ts';
import { newId } from '../src/util/ids.ts';
import { hourMs } from '../src/util/time.ts';
import { day, pick, worlds } from './_fixtures.ts';
import {
  megabytes,
  memoryInUse,
  percent,
  progress,
  type Row,
  rates,
  rounds,
  type Suite,
  seconds,
} from './_measure.ts';
import { checksOverHttp, http } from './enforcement-http.ts';
import { reportsFiled } from './enforcement-reports.ts';

export const enforcement: Suite = {
  name: 'enforcement',
  async run() {
    const parts = [await checksInProcess(), await checksOverHttp(), await reportsFiled()];
    return {
      title: `enforcement — in-process and reports best of ${rounds} alternating rounds, ${seconds} s in all; HTTP ${http.connections} connections, ${http.seconds} s on each server after ${http.warmUpSeconds} s; SQLite (WAL, synchronous=FULL)`,
      rows: parts.flatMap((part) => part.rows),
      notes: parts.flatMap((part) => part.notes),
    };
  },
};

// 1. In-process checks over a population as large as the target's, built as the service builds
// it, without the store.
const population = 1_000_000;
const sanctionedShare = 0.05;
/** Subjects at a grade some action is denied at, in the second index. */
const deniedGradeShare = 0.01;
const checkCount = 2 ** 20;

async function checksInProcess(): Promise<{ rows: Row[]; notes: string[] }> {
  progress(`enforcement: indexing ${population.toLocaleString('en')} subjects…`);
  const now = Date.now();
  const before = memoryInUse();
  // As the service reads them from the store: flat strings (newDigitalId returns a cons string,
  // which takes twice the memory).
  const ids = Array.from({ length: population }, () =>
    Buffer.from(newDigitalId(), 'latin1').toString('latin1'),
  );
  const withIds = memoryInUse();
  const index = buildIndex(ids, now);
  const withIndex = memoryInUse();
  // The same population with 1% of it, all clean, at a grade some action is denied at: once the
  // index holds any grade, every check looks the subject's grade up too.
  const graded = buildIndex(ids, now);
  const deniedGrade = graded.deniedGrades[0];
  for (let i = 1; deniedGrade !== undefined && i <= population * deniedGradeShare; i++) {
    graded.setGrade(ids[population - i]!, deniedGrade);
  }

  // Every subject known to one service by its pseudonym, as a service's sign-ins leave them.
  progress('enforcement: giving out a service pseudonym for each subject…');
  const service = 'prn_benchservice0001';
  const vault = new AttributeVault(randomBytes(32));
  // Flat strings, as the map is loaded from the store (the vault's are cons strings).
  const given = ids.map((id) =>
    Buffer.from(vault.servicePseudonym(service, id), 'latin1').toString('latin1'),
  );
  const withoutPseudonyms = memoryInUse();
  const pseudonyms = new PseudonymMap();
  for (const [i, id] of ids.entries()) pseudonyms.set(given[i]!, service, id);
  const withPseudonyms = memoryInUse();
  const pseudonymOf = new Map(ids.map((id, i) => [id, given[i]!]));

  progress('enforcement: checking in-process…');
  const checks = randomChecks(ids);
  const plain = checker(index, checks, now);
  const withGrades = checker(graded, checks, now);
  const byPseudonym = pseudonymChecker(index, pseudonyms, service, checks, pseudonymOf, now);
  const map = new Map(ids.map((id) => [id, true]));
  let missing = 0;
  const rate = await rates({
    map: {
      sync: (i) => {
        if (map.get(checks.subjects[i & checks.mask]!) === undefined) missing++;
      },
    },
    plain: { sync: plain.check },
    graded: { sync: withGrades.check },
    pseudonym: { sync: byPseudonym.check },
  });
  if (missing + plain.count.missing + withGrades.count.missing + byPseudonym.count.missing > 0) {
    throw new Error('a lookup missed a subject that was added');
  }

  const row = {
    baseline: 'Map.get, same keys, same order',
    baselineValue: rate.map,
    target: { rateAtLeast: 1e6 },
  };
  const indexBytes = withIndex.bytes - withIds.bytes;
  return {
    rows: [
      { name: 'eligibility check in-process (index.check)', value: rate.plain, ...row },
      {
        name: `  … ${percent(deniedGradeShare)} also at grade ${deniedGrade ?? '-'}`,
        value: rate.graded,
        ...row,
      },
      { name: '  … by a service’s pseudonym (map + index.check)', value: rate.pseudonym, ...row },
    ],
    notes: [
      `in-process: ${population.toLocaleString('en')} subjects, ${percent(sanctionedShare)} sanctioned; ${percent(plain.deniedShare())} of checks denied (${percent(withGrades.deniedShare())} with grades); \`now\` fixed (the service reads its clock per check)`,
      `service pseudonyms: ${megabytes(withPseudonyms.bytes - withoutPseudonyms.bytes)} for ${population.toLocaleString('en')} (the map's entries, besides the pseudonym strings)`,
      `index memory: ${megabytes(indexBytes)} (${Math.round(indexBytes / population)} B/subject) besides the id strings, which take ${megabytes(withIds.bytes - before.bytes)} and of which the index keeps only the sanctioned subjects' (${before.exact ? 'after a full gc' : 'approximate: gc could not be forced'})`,
    ],
  };
}

/** Runs the i-th random check against `index`, counting the answers so that none is thrown away. */
function checker(index: EligibilityIndex, checks: ReturnType<typeof randomChecks>, now: number) {
  const count = { checked: 0, denied: 0, missing: 0 };
  return {
    count,
    deniedShare: () => count.denied / count.checked,
    check(i: number) {
      const k = i & checks.mask;
      const answer = index.check(checks.subjects[k]!, checks.actions[k]!, checks.worlds[k], now);
      count.checked++;
      if (answer === undefined) count.missing++;
      else if (!answer.allowed) count.denied++;
    },
  };
}

/** As `checker`, by the service's pseudonym: what `checkByPseudonymFor` does before the store is asked. */
function pseudonymChecker(
  index: EligibilityIndex,
  pseudonyms: PseudonymMap,
  service: string,
  checks: ReturnType<typeof randomChecks>,
  pseudonymOf: Map<string, string>,
  now: number,
) {
  // The requests' pseudonyms, as copies (a request brings its own string).
  const asked = checks.subjects.map((id) => Buffer.from(pseudonymOf.get(id)!, 'latin1').toString('latin1'));
  const count = { checked: 0, denied: 0, missing: 0 };
  return {
    count,
    check(i: number) {
      const k = i & checks.mask;
      const subject = pseudonyms.subjectFor(service, asked[k]!);
      const answer =
        subject === undefined ? undefined : index.check(subject, checks.actions[k]!, checks.worlds[k], now);
      count.checked++;
      if (answer === undefined) count.missing++;
      else if (!answer.allowed) count.denied++;
    },
  };
}

/** The index of `ids`, the first 5% sanctioned (the ids are random, so as good a sample as any). */
function buildIndex(ids: string[], now: number): EligibilityIndex {
  const index = new EligibilityIndex(loadPolicy().document.actions);
  const sanctioned = ids.length * sanctionedShare;
  for (const [i, id] of ids.entries()) {
    if (i < sanctioned) index.setSanctions(id, sanctionsOfOne(now));
    else index.addSubject(id);
  }
  return index;
}

/**
 * Random (subject, action, world) triples, uniform over the population so that sanctioned and
 * clean subjects come in its proportion. World actions name a world, the others none.
 */
function randomChecks(ids: string[]) {
  const actions = Object.keys(loadPolicy().document.actions);
  const checks = {
    subjects: [] as string[],
    actions: [] as string[],
    worlds: [] as (string | undefined)[],
    mask: checkCount - 1,
  };
  for (let k = 0; k < checkCount; k++) {
    const action = pick(actions);
    // A copy, as a request brings its own string of the ID, not the one the index was filled with.
    checks.subjects.push(
      Buffer.from(ids[Math.floor(Math.random() * ids.length)]!, 'latin1').toString('latin1'),
    );
    checks.actions.push(action);
    checks.worlds.push(action.startsWith('world.') ? pick(worlds) : undefined);
  }
  return checks;
}

/**
 * One to three sanctions: restrictions on travel or credit, suspensions and mutes in a world, a
 * few bans; about one in six has already ended (not yet marked expired, so the index still holds it).
 */
function sanctionsOfOne(now: number): IndexedSanction[] {
  const count = 1 + (Math.random() < 0.25 ? 1 : 0) + (Math.random() < 0.05 ? 1 : 0);
  return Array.from({ length: count }, (): IndexedSanction => {
    const r = Math.random();
    const ended = Math.random() < 0.15;
    const endsAt = ended ? now - day : now + (1 + Math.floor(Math.random() * 14)) * day;
    const base = { id: newId('snc'), world: null, actions: null, startsAt: now - 30 * day, endsAt };
    if (r < 0.45) {
      const actions = pick([['travel.air'], ['finance.credit'], ['travel.air', 'finance.credit']]);
      return { ...base, kind: 'restriction', actions, endsAt: ended || r < 0.2 ? endsAt : null };
    }
    if (r < 0.7) return { ...base, kind: 'suspension', world: pick(worlds) };
    if (r < 0.96)
      return { ...base, kind: 'mute', world: pick(worlds), endsAt: now + (ended ? -1 : 1) * hourMs };
    return { ...base, kind: 'ban', endsAt: null };
  });
}

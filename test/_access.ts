import assert from 'node:assert/strict';
import { opensEntry } from '../src/ledger/commitments.ts';
import { dayMs, hourMs } from '../src/util/time.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import type { Harness } from './_util.ts';

export { hourMs };
export const days = (n: number) => n * dayMs;

/**
 * A clock the tests move forward; each suite starts it again at the real time. A frozen one stands
 * still between moves, for tests that compare durations with a bound (a cache's age).
 */
export class MovableClock {
  #offset = 0;
  #frozenAt: number | undefined;
  readonly now = () => new Date((this.#frozenAt ?? Date.now()) + this.#offset);
  constructor(options: { frozen?: boolean } = {}) {
    if (options.frozen === true) this.#frozenAt = Date.now();
  }
  advance(ms: number): void {
    this.#offset += ms;
  }
  reset(): void {
    this.#offset = 0;
    if (this.#frozenAt !== undefined) this.#frozenAt = Date.now();
  }
  in(ms: number): string {
    return new Date(this.now().getTime() + ms).toISOString();
  }
}

/** Tom in the plaza, an authority of his jurisdiction and one of another, oversight, an auditor. */
export async function accessFixture(h: Harness) {
  const f = await conductFixture(h);
  const authority = await h.ctx.principals.create({ role: 'authority', jurisdiction: 'GB' });
  const other = await h.ctx.principals.create({ role: 'authority', jurisdiction: 'FR' });
  // A disclosure rests on a case (issue 13): a report about Tom opens one per category, on demand.
  const cases = new Map<string, Promise<string>>();
  const openCase = async (category: string): Promise<string> => {
    if (cases.size === 0) await bindReporters(h, f.world, ['witness']);
    const filed = await h.call('POST', '/v1/reports', {
      token: f.platform,
      body: {
        ...report(f.world, 'witness', category),
        occurredAt: new Date(h.ctx.now().getTime() - 60_000).toISOString(),
      },
    });
    assert.equal(filed.status, 202, JSON.stringify(filed.body));
    return filed.body.caseId as string;
  };
  const caseFor = (category: string): Promise<string> => {
    let opened = cases.get(category);
    if (opened === undefined) {
      opened = openCase(category);
      cases.set(category, opened);
    }
    return opened;
  };
  return {
    ...f,
    /** The case about Tom in the fixture's world for `category`, opened by a report the first time. */
    caseFor,
    /**
     * The request with the case about Tom for its offence, where the policy requires one and the
     * request does not name one (or name `case: undefined`, to send none).
     */
    async withCase<T extends Record<string, unknown>>(body: T): Promise<T & { case?: string }> {
      if (Object.hasOwn(body, 'case')) {
        const copy = { ...body };
        if (copy.case === undefined) delete copy.case;
        return copy;
      }
      const offence = String(body.offence);
      if (h.ctx.policy.disclosureRule(offence)?.requiresCase !== true) return body;
      return { ...body, case: await caseFor(offence) };
    },
    authority: authority.token,
    authorityId: authority.principal.id,
    otherAuthority: other.token,
    oversight: await h.token({ role: 'oversight' }),
    auditor: await h.token({ role: 'auditor' }),
  };
}

/** Tom's example: a warrant for his natural attributes, for spreading rumours. */
export function warrant(clock: MovableClock, overrides: Record<string, unknown> = {}) {
  return {
    target: { world: 'plaza', handle: 'tom' },
    scope: ['natural'],
    legalBasis: {
      kind: 'warrant',
      reference: 'WARRANT-2026-0042',
      issuedBy: 'Plaza Magistrates Court',
      expiresAt: clock.in(days(60)),
    },
    offence: 'spreading_rumors',
    purpose: 'Identify who started the rumour of a run on the plaza bank',
    ...overrides,
  };
}

/** An emergency request about Tom for harassment (the default policy allows emergency there). */
export function emergency(clock: MovableClock, overrides: Record<string, unknown> = {}) {
  return warrant(clock, {
    scope: ['natural', 'social'],
    legalBasis: {
      kind: 'emergency',
      reference: 'INCIDENT-7731',
      issuedBy: 'Duty inspector, Plaza Police',
      expiresAt: clock.in(days(7)),
    },
    offence: 'harassment',
    purpose: 'Threats of violence against a named person tonight',
    ...overrides,
  });
}

/** The size of the log, counting what other transactions committed. */
export async function logSize(h: Harness): Promise<number> {
  await h.ctx.ledger.sync();
  return h.ctx.ledger.size;
}

/** The ledger entries appended since `from`, parsed. */
export async function entriesSince(h: Harness, from: number) {
  await h.ctx.ledger.sync();
  const stored = await h.ctx.ledger.entries(from, h.ctx.ledger.size);
  return stored.map((e) => ({ ...JSON.parse(e.entry), text: e.entry }));
}

/**
 * Whether the stored entry at `idx` commits its `ref` to `value`: the opening kept for it opens
 * the commitment the public entry shows (people appear in entries only so, issue 13).
 */
export async function commitsTo(
  h: Harness,
  entry: { idx: number; text: string },
  ref: string,
  value: string,
) {
  const rows = await h.ctx.db
    .selectFrom('ledger_openings')
    .select(['value', 'salt'])
    .where('idx', '=', entry.idx)
    .where('ref', '=', ref)
    .execute();
  return rows.some((row) => row.value === value && opensEntry(entry.text, { ref, value, salt: row.salt }));
}

/** The snapshot without the log's tables: what a logged-only act must leave unchanged. */
export async function snapshotWithoutLedger(h: Harness): Promise<string> {
  const dump = JSON.parse(await h.snapshot()) as Record<string, unknown>;
  for (const table of Object.keys(dump)) if (table.startsWith('ledger_')) delete dump[table];
  return JSON.stringify(dump);
}

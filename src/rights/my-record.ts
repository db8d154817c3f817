import type { MyRecord } from '../api/me.ts';
import type { Services } from '../context.ts';

/** The services a person's own record is read from. */
export type RecordServices = Pick<
  Services,
  'creditReader' | 'cases' | 'sanctions' | 'strikes' | 'appeals' | 'locks' | 'preservations'
>;

/**
 * A subject's own record (GET /v1/me, and the same part of its export): cases about it with their
 * reports' evidence and never the reporter, decisions, sanctions, strikes, its appeals and its
 * credit, each adverse item with the deadline to appeal it while it may be appealed, and since
 * when it has locked the use of its identity, if it has; and the preservation orders about it
 * whose gag has ended.
 */
export async function readMyRecord(services: RecordServices, id: string): Promise<MyRecord> {
  const { creditReader, cases, sanctions, strikes, appeals, locks, preservations } = services;
  const [credit, mine, imposed, history, active, filed, lockedSince, preserved] = await Promise.all([
    creditReader.read(id),
    cases.listForSubject(id),
    sanctions.allOf(id),
    strikes.list(id),
    strikes.activeTotal(id),
    appeals.ofSubject(id),
    locks.lockedSince(id),
    preservations.noticesFor(id),
  ]);
  const deadlines = appeals.deadlines(filed);
  const contributions = credit.explanation.contributions.map((c) => ({
    ...c,
    appealDeadline: deadlines.ofContribution(c),
  }));
  return {
    subject: id,
    credit: { ...credit, explanation: { ...credit.explanation, contributions } },
    cases: mine.map((c) => ({ ...c, appealDeadline: deadlines.ofCase(c) })),
    sanctions: imposed.map((s) => ({ ...s, appealDeadline: deadlines.ofSanction(s) })),
    appeals: filed,
    strikes: { active, history },
    locked: lockedSince ?? null,
    preservations: preserved,
  };
}

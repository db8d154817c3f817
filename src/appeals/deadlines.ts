import type { Appeal } from '../api/appeals.ts';
import type { CaseSummary } from '../api/cases.ts';
import type { Contribution } from '../api/credit.ts';
import type { DisclosureNotice } from '../api/disclosures.ts';
import type { Sanction } from '../api/sanctions.ts';
import type { PolicyDocument } from '../policy/policy.ts';
import { dayMs } from '../util/time.ts';

/** Until when each kind of adverse decision shown to a subject may be appealed; undefined once not. */
export interface AppealDeadlines {
  ofCase(c: CaseSummary): string | undefined;
  ofSanction(s: Sanction): string | undefined;
  ofDisclosure(d: DisclosureNotice): string | undefined;
  ofContribution(c: Contribution): string | undefined;
}

/**
 * The deadlines of what a subject is shown: an upheld case, a sanction imposed directly, a
 * granted disclosure once told or a contribution counted without a decision, not yet appealed (`appeals` are the subject's), whose window under
 * the policy is still open at `now`. Pure.
 */
export function appealDeadlines(
  windows: PolicyDocument['appeals'],
  now: Date,
  appeals: readonly Appeal[],
): AppealDeadlines {
  const appealed = new Set(appeals.map((a) => `${a.kind}|${a.target}`));
  const until = (since: string, windowDays: number) => {
    const end = Date.parse(since) + windowDays * dayMs;
    return end < now.getTime() ? undefined : new Date(end).toISOString();
  };
  return {
    ofCase: (c) =>
      c.decision?.outcome !== 'upheld' || c.appeal !== undefined || appealed.has(`case|${c.id}`)
        ? undefined
        : until(c.decision.decidedAt, windows.windowDays),
    ofSanction: (s) =>
      s.source !== 'manual' || s.status === 'lifted' || appealed.has(`sanction|${s.id}`)
        ? undefined
        : until(s.createdAt, windows.sanctionWindowDays ?? windows.windowDays),
    ofDisclosure: (d) =>
      d.status !== 'granted' || appealed.has(`disclosure|${d.id}`)
        ? undefined
        : until(d.noticeAt, windows.disclosureWindowDays ?? windows.windowDays),
    // Points against the subject that no one decided: a negative event counted directly.
    ofContribution: (c) =>
      c.cause.kind !== 'event' || c.points >= 0 || appealed.has(`contribution|${c.id}`)
        ? undefined
        : until(c.recordedAt ?? c.occurredAt, windows.contributionWindowDays ?? windows.windowDays),
  };
}

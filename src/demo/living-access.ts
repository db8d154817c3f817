import { DisclosureRefusedError } from '../access/disclosure-policy.ts';
import type { Verdict } from '../access/oversight-service.ts';
import type { AttributeGroup } from '../identity/attributes.ts';
import type { LegalBasisKind } from '../policy/disclosure-rules.ts';
import { dayMs } from '../util/time.ts';
import type { LivingScene, Someone } from './living-scene.ts';

/** The offence each basis is shown with: one whose category the default policy lets it serve. */
const byBasis: Record<LegalBasisKind, { offence: string; scope: AttributeGroup[]; issuedBy: string }> = {
  warrant: { offence: 'spreading_rumors', scope: ['natural'], issuedBy: 'Westminster Magistrates’ Court' },
  court_order: { offence: 'hate_speech', scope: ['natural', 'social'], issuedBy: 'High Court of Justice' },
  statute: { offence: 'identity_theft', scope: ['natural'], issuedBy: 'Investigatory Powers Act 2016 s.61' },
  emergency: { offence: 'harassment', scope: ['natural', 'social'], issuedBy: 'Duty inspector' },
};

/**
 * One disclosure: when it is asked, and what oversight does and when (days before now). For an
 * emergency, granted at once, the verdict is its review; none leaves it pending (or unreviewed).
 */
interface Plan {
  basis: LegalBasisKind;
  asked: number;
  verdict?: { days: number; is: Verdict };
  /** When the subject, told of it once its gag ended, appeals it to oversight (left pending). */
  appealed?: number;
}

const plans: Plan[] = [
  ...(['warrant', 'court_order', 'statute'] as const).flatMap((basis, b): Plan[] => [
    // The warrant's 14-day gag ends 56 days ago; the appeal window runs 30 days from then.
    {
      basis,
      asked: 70 - b * 3,
      verdict: { days: 68 - b * 3, is: 'approve' },
      appealed: b === 0 ? 45 : undefined,
    },
    { basis, asked: 40 - b * 2, verdict: { days: 39 - b * 2, is: 'refuse' } },
    { basis, asked: 12 - b, verdict: { days: 10 - b, is: 'approve' } },
    { basis, asked: 3 - b },
  ]),
  { basis: 'emergency', asked: 50, verdict: { days: 48, is: 'approve' } },
  { basis: 'emergency', asked: 30, verdict: { days: 29, is: 'refuse' } },
  // Past its review deadline unreviewed: the overdue review the oversight screens show.
  { basis: 'emergency', asked: 8 },
  { basis: 'emergency', asked: 6 },
  // Still within its deadline.
  { basis: 'emergency', asked: 1 },
];

/** The pool's people the access acts concern. */
const firstTarget = 200;
const preserved = [240, 241] as const;
const correcting = [250, 251, 252] as const;
/** Whose profiles the registry's records desk reads, each with a purpose of the policy. */
const readProfiles = [260, 300] as const;

/**
 * The demo's lawful access: the authority's requests on each legal basis, each about a case of
 * its offence, granted, refused, pending or (emergencies) reviewed, overdue and awaiting review;
 * one the policy refuses outright; two preservation orders; and corrections people asked for.
 */
export function planAccess(scene: LivingScene): void {
  plans.forEach((plan, i) => {
    scene.at(plan.asked, () => disclose(scene, plan, scene.pool[firstTarget + i]!));
  });
  planProfileReads(scene);
  // A statute does not suffice for fraud under the default policy: refused, and only logged.
  scene.at(35, async () => {
    try {
      await scene.ctx.disclosures.request(
        request(scene, scene.pool[firstTarget]!, 'statute', 'fraud'),
        scene.authority.principal,
      );
    } catch (error) {
      if (!(error instanceof DisclosureRefusedError)) throw error;
    }
  });
  for (const [at, days, daysAgo] of [
    [preserved[0], 90, 20],
    [preserved[1], 30, 100],
  ] as const) {
    scene.at(daysAgo, async () => {
      const who = scene.pool[at]!;
      await scene.ctx.preservations.order(
        {
          target: { world: who.world, handle: who.handle },
          legalBasis: {
            kind: 'warrant',
            reference: `PO-${daysAgo}`,
            issuedBy: 'Westminster Magistrates’ Court',
          },
          offence: 'harassment',
          days,
        },
        scene.authority.principal,
      );
    });
  }
  correcting.forEach((at, i) => {
    scene.at(4 - i, async () => {
      const who = scene.pool[at]!;
      await readProfile(scene, who, 'correction');
      const principal = await scene.subjectPrincipal(who);
      const value = ['Lighthouse keeper', 'Beekeeper', 'Glassblower'][i];
      await scene.ctx.corrections.propose(
        who.subject,
        { field: 'social.occupation', value, reason: 'I changed jobs this year' },
        principal,
      );
    });
  });
}

/**
 * The registry's logged reads: a profile now and then, over the months, for each of the policy's
 * purposes in turn (an operator's policy may name others).
 */
function planProfileReads(scene: LivingScene): void {
  const purposes = scene.ctx.profileReads.purposes;
  scene.pool.slice(...readProfiles).forEach((who, i) => {
    scene.at(190 - i * 4, () => readProfile(scene, who, purposes[i % purposes.length]!), i % 9);
  });
}

async function readProfile(scene: LivingScene, who: Someone, purpose: string): Promise<void> {
  if (!scene.ctx.profileReads.purposes.includes(purpose)) return;
  await scene.ctx.profileReads.read(scene.registry, who.subject, { purpose });
}

/**
 * The authority reads what it was granted, from `daysAgo` on: once, and again for some, two days
 * apart (an act schedules only for a later day, and the history ends now).
 */
function readGranted(scene: LivingScene, id: string, daysAgo: number, times: number): void {
  for (let n = 0; n < times && daysAgo - n * 2 > 0; n++) {
    scene.at(daysAgo - n * 2, async () => {
      await scene.ctx.disclosureReader.read(id, scene.authority.principal);
    });
  }
}

async function disclose(scene: LivingScene, plan: Plan, who: Someone): Promise<void> {
  const { offence } = byBasis[plan.basis];
  const caseId = await scene.report(who, offence);
  let made: { id: string };
  try {
    made = await scene.ctx.disclosures.request(
      { ...request(scene, who, plan.basis, offence), case: caseId },
      scene.authority.principal,
    );
  } catch (error) {
    // An operator's own policy may not let this basis serve here: its refusal is in the log.
    if (error instanceof DisclosureRefusedError) return;
    throw error;
  }
  const emergency = plan.basis === 'emergency';
  // An emergency is granted at once: the police read it the next day, before any review (this
  // read is scheduled before the verdict, so of the two on one day it comes first).
  if (emergency) readGranted(scene, made.id, plan.asked - 1, 1);
  const verdict = plan.verdict;
  if (verdict === undefined) return;
  scene.at(verdict.days, async () => {
    const reason =
      verdict.is === 'approve'
        ? 'The basis and the scope are proportionate'
        : 'The scope goes beyond what the case needs';
    await scene.ctx.oversight.decide(made.id, verdict.is, reason, scene.oversight.id);
    if (verdict.is === 'approve' && !emergency)
      readGranted(scene, made.id, verdict.days - 1, 1 + (plan.asked % 3));
  });
  const appealed = plan.appealed;
  if (appealed === undefined) return;
  scene.at(appealed, async () => {
    const principal = await scene.subjectPrincipal(who);
    const reason = 'Rumours are speech: my identity should not have been disclosed for them';
    await scene.ctx.appeals.file(
      { target: { kind: 'disclosure', id: made.id }, reason },
      who.subject,
      principal,
    );
  });
}

function request(scene: LivingScene, who: Someone, basis: LegalBasisKind, offence: string) {
  const rule = byBasis[basis];
  return {
    target: { world: who.world, handle: who.handle },
    scope: rule.scope,
    legalBasis: {
      kind: basis,
      reference: `${basis.toUpperCase()}-${scene.now().toISOString().slice(0, 10)}-${who.handle.slice(-4)}`,
      issuedBy: rule.issuedBy,
      expiresAt: new Date(scene.now().getTime() + 120 * dayMs).toISOString(),
    },
    offence,
    purpose: 'Identify the person behind the avatar for the investigation',
  };
}

import type { SanctionRequest } from '../conduct/decision-service.ts';
import type { LivingScene, Someone } from './living-scene.ts';

// Who in the scene's pool the conduct acts single out (the access acts take the rest).
const good = [0, 100] as const;
const bad = [100, 180] as const;
const worst = [180, 186] as const;
const dismissedOnes = [190, 200] as const;
const sanctioned = { ban: 186, mute: 187, restriction: 188, warning: 189 } as const;

const slice = (scene: LivingScene, [from, to]: readonly [number, number]) => scene.pool.slice(from, to);

/**
 * The demo's conduct over the last months: good citizens whose worlds send praise every month
 * (grades AA and AAA), offenders whose cases are upheld at every severity (B, C, D, with strikes,
 * the ladder's suspensions and a ban), dismissed cases, and appeals of decisions and of sanctions,
 * some decided and some still pending.
 */
export function planConduct(scene: LivingScene): void {
  for (const daysAgo of [85, 55, 25, 6]) scene.at(daysAgo, () => praise(scene));
  slice(scene, bad).forEach((who, i) => {
    offend(scene, who, i);
  });
  slice(scene, worst).forEach((who, i) => {
    for (const daysAgo of [120, 70, 20]) {
      scene.at(daysAgo - i, async () => {
        const caseId = await scene.report(who, 'fraud');
        scene.at(daysAgo - i - 2, () =>
          scene.decide(caseId, {
            outcome: 'upheld',
            severity: 5,
            rationale: 'Repeated fraud, confirmed by the payment records',
          }),
        );
      });
    }
  });
  slice(scene, dismissedOnes).forEach((who, i) => {
    scene.at(40 - i * 3, async () => {
      const caseId = await scene.report(who, 'harassment');
      scene.at(37 - i * 3, () =>
        scene.decide(caseId, { outcome: 'dismissed', rationale: 'The messages were a shared joke' }),
      );
    });
  });
  planDirectSanctions(scene);
}

/** The good citizens: ten to fifty points a month, within the policy's cap for positive events. */
async function praise(scene: LivingScene): Promise<void> {
  const events = slice(scene, good).flatMap((who, i) => {
    const helping = Array.from({ length: 1 + (i % 3) }, () => ({
      who,
      category: 'helping_others',
      severity: 3,
    }));
    return i % 4 === 0 ? [...helping, { who, category: 'volunteering', severity: 3 }] : helping;
  });
  await scene.sendEvents(events);
}

/** One offender: a report, upheld two days later at a severity that varies along the list. */
function offend(scene: LivingScene, who: Someone, i: number): void {
  const daysAgo = 170 - i * 2;
  const severity = 1 + (i % 5);
  const extra: SanctionRequest[][] = [
    [],
    [{ kind: 'mute', world: who.world, days: 14 }],
    [{ kind: 'restriction', actions: ['travel.air'], days: 60 }],
    [{ kind: 'warning' }],
  ];
  scene.at(daysAgo, async () => {
    const caseId = await scene.report(who, 'fraud');
    scene.at(daysAgo - 2, async () => {
      await scene.decide(caseId, {
        outcome: 'upheld',
        severity,
        rationale: 'The trade logs confirm the report',
        sanctions: extra[i % 4]!.filter((s) => (s.actions ?? []).every((a) => scene.ctx.policy.isAction(a))),
      });
      if (i % 8 === 0) appealCase(scene, who, caseId, daysAgo - 5, i % 16 === 0 ? i : undefined);
    });
  });
}

/** An appeal of an upheld decision; decided a few days later for some (`decided` set), else pending. */
function appealCase(
  scene: LivingScene,
  who: Someone,
  caseId: string,
  daysAgo: number,
  decided?: number,
): void {
  scene.at(daysAgo, async () => {
    const principal = await scene.subjectPrincipal(who);
    await scene.ctx.decisions.appeal(caseId, 'The severity is out of proportion', who.subject, principal);
    if (decided === undefined) return;
    const overturned = decided % 32 === 0;
    scene.at(daysAgo - 4, async () => {
      await scene.ctx.decisions.decideAppeal(
        caseId,
        overturned
          ? { outcome: 'overturned', rationale: 'The buyer withdrew the complaint with proof of delivery' }
          : { outcome: 'upheld', rationale: 'The decision stands on the evidence' },
        scene.sim.actors.appeals,
      );
    });
  });
}

/** Sanctions a moderator imposes directly: a ban until lifted, and others appealed. */
function planDirectSanctions(scene: LivingScene): void {
  const who = (at: number) => scene.pool[at]!;
  const impose = async (at: number, kind: 'ban' | 'mute' | 'restriction' | 'warning', days?: number) => {
    const target = who(at);
    const sanction = await scene.ctx.sanctions.impose(
      {
        subject: target.subject,
        kind,
        ...(kind === 'mute' && { world: target.world }),
        ...(kind === 'restriction' && { actions: ['finance.credit'] }),
        ...(days !== undefined && { days }),
        reason: `demo: ${kind} imposed by the moderation desk`,
        source: 'manual',
      },
      scene.sim.actors.moderator,
    );
    return sanction.id;
  };
  scene.at(45, async () => {
    await impose(sanctioned.ban, 'ban');
  });
  scene.at(5, async () => {
    await impose(sanctioned.warning, 'warning');
  });
  scene.at(25, async () => {
    const id = await impose(sanctioned.mute, 'mute', 30);
    scene.at(22, async () => {
      const appeal = await appealSanction(scene, who(sanctioned.mute), id);
      scene.at(18, async () => {
        const input = { outcome: 'overturned' as const, rationale: 'The chat logs show no abuse' };
        await scene.ctx.appeals.decide(appeal, input, scene.appealsDesk);
      });
    });
  });
  scene.at(12, async () => {
    const id = await impose(sanctioned.restriction, 'restriction', 90);
    scene.at(8, async () => {
      await appealSanction(scene, who(sanctioned.restriction), id);
    });
  });
}

async function appealSanction(scene: LivingScene, who: Someone, sanction: string): Promise<string> {
  const principal = await scene.subjectPrincipal(who);
  const appeal = await scene.ctx.appeals.file(
    { target: { kind: 'sanction', id: sanction }, reason: 'I was never told what I did wrong' },
    who.subject,
    principal,
  );
  return appeal.id;
}

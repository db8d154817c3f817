import type { Decision } from '../conduct/decision-service.ts';
import type { Policy } from '../policy/policy.ts';
import { dayMs, hourMs, minuteMs } from '../util/time.ts';
import type { Cast } from './cast.ts';
import { appealTexts, type ConductMix, chooseSanctions, rationaleText, reportText } from './conduct-mix.ts';
import type { Random } from './random.ts';

/** Something users saw and reported, planned in full when its day is planned. */
export interface Incident {
  world: number;
  /** The reported avatar's number in the cast. */
  target: number;
  category: string;
  at: number;
  reports: {
    at: number;
    reporter: string;
    description: string;
    evidence: { sha256: string; uri: string }[];
  }[];
  decideAt: number;
  decision: Decision;
  /** Planned for an upheld decision: how long after it the subject appeals, and the outcome. */
  appeal?: {
    after: number;
    decideAfter: number;
    reason: string;
    outcome: 'upheld' | 'overturned';
    rationale: string;
  };
  /** Set when its reports are filed. */
  caseId?: string;
}

/**
 * An incident in the slot starting at `start`, among the first `present` avatars. Most reports are
 * about real troublemakers and are upheld at the severity of what happened; some are about someone
 * who did nothing (a grudge, a misunderstanding) and are mostly dismissed.
 */
export function planIncident(
  rng: Random,
  scene: { cast: Cast; mix: ConductMix; policy: Policy; start: number; present: number },
): Incident {
  const { cast } = scene;
  const genuine = rng.chance(0.85);
  const target = cast.pickAvatar(rng, scene.present, genuine ? 'misconduct' : 'activity');
  const world = cast.avatarWorld[target]!;
  const { category, severity } = scene.mix.draw(rng, cast.kindOf(cast.avatarSubject[target]!), 'negative');
  const at = scene.start + rng.int(5 * hourMs);
  let count = 1;
  while (count < 5 && rng.chance(0.45)) count++;
  const reports: Incident['reports'] = [];
  let filedAt = at;
  for (let i = 0; i < count; i++) {
    filedAt += rng.between(2, 90) * minuteMs;
    const reporter = cast.otherInWorld(rng, world, scene.present, target);
    const sha256 = rng.hex(32);
    // A report comes from another avatar of the world: alone there, nobody can report it.
    if (reporter === undefined) continue;
    reports.push({
      at: filedAt,
      reporter: cast.avatarHandle[reporter]!,
      description: reportText(rng, category),
      evidence: [{ sha256, uri: `https://evidence.example.com/${sha256.slice(0, 16)}` }],
    });
  }
  // Moderators get to a case within hours to a fortnight, most within a few days.
  const decideAt = filedAt + 6 * hourMs + Math.floor(Math.min(14 * dayMs, rng.exponential(2 * dayMs)));
  const upheld = rng.chance(genuine ? 0.85 : 0.08);
  const incident: Incident = { world, target, category, at, reports, decideAt, decision: dismissed(rng) };
  if (upheld) {
    const decided = genuine ? severity : 1;
    incident.decision = {
      outcome: 'upheld',
      severity: decided,
      rationale: rationaleText(rng, 'upheld'),
      sanctions: chooseSanctions(rng, scene.policy, category, decided),
    };
    incident.appeal = planAppeal(rng, scene.policy.document.appeals.windowDays);
  }
  return incident;
}

function dismissed(rng: Random): Decision {
  return { outcome: 'dismissed', rationale: rationaleText(rng, 'dismissed') };
}

/** One upheld decision in eight is appealed, within the window; about a third of appeals succeed. */
function planAppeal(rng: Random, windowDays: number): Incident['appeal'] {
  if (!rng.chance(0.12) || windowDays < 2) return undefined;
  const overturned = rng.chance(0.35);
  const lastDay = Math.min(25, windowDays - 1);
  return {
    // At least a day after the decision, and before the window closes.
    after: dayMs + rng.int((lastDay - 1) * dayMs),
    decideAfter: rng.between(2, 14) * dayMs + rng.int(dayMs),
    reason: rng.pick(appealTexts.reason),
    outcome: overturned ? 'overturned' : 'upheld',
    rationale: rng.pick(overturned ? appealTexts.overturned : appealTexts.upheld),
  };
}

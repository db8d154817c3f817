import type { LivingScene, Someone } from './living-scene.ts';

/**
 * What sets the crowd (the persons beyond the scene's pool) apart, by their place in it, of every
 * forty: seven pillars of their world (AAA), eight helpful lately (AA), four offenders upheld
 * once (B), two fraudsters (C), a repeat fraudster (D). The rest are only what the simulation
 * made of them (mostly A). With the pool's people, the grades spread as a population's would.
 */
type Part = 'pillar' | 'helpful' | 'offender' | 'fraudster' | 'repeat' | 'plain';

export function partOf(i: number): Part {
  const r = i % 40;
  if (r < 7) return 'pillar';
  if (r < 15) return 'helpful';
  if (r < 19) return 'offender';
  if (r < 21) return 'fraudster';
  if (r < 22) return 'repeat';
  return 'plain';
}

const of = (scene: LivingScene, part: Part): Someone[] => scene.crowd.filter((_, i) => partOf(i) === part);

/** The crowd's months: praise from their worlds, and reports upheld. */
export function planCrowd(scene: LivingScene): void {
  // Within the policy's cap of 50 points a world a month: 40 a month for the pillars, twice.
  for (const daysAgo of [75, 16]) {
    scene.at(daysAgo, () =>
      scene.sendEvents(
        of(scene, 'pillar').flatMap((who, i) => [
          { who, category: 'volunteering', severity: 3 },
          { who, category: i % 2 === 0 ? 'volunteering' : 'helping_others', severity: 3 },
          ...(i % 3 === 0 ? [{ who, category: 'helping_others', severity: 3 }] : []),
        ]),
      ),
    );
  }
  scene.at(24, () =>
    scene.sendEvents(
      of(scene, 'helpful').flatMap((who, i) =>
        i % 2 === 0
          ? [
              { who, category: 'volunteering', severity: 3 },
              { who, category: 'volunteering', severity: 3 },
            ]
          : [
              { who, category: 'volunteering', severity: 3 },
              { who, category: 'helping_others', severity: 3 },
              { who, category: 'honest_trade', severity: 3 },
            ],
      ),
    ),
  );
  of(scene, 'offender').forEach((who, i) => {
    upheld(scene, who, {
      daysAgo: 150 - (i % 120),
      category: i % 2 === 0 ? 'harassment' : 'fraud',
      severity: 2,
    });
  });
  of(scene, 'fraudster').forEach((who, i) => {
    upheld(scene, who, { daysAgo: 100 - (i % 80), category: 'fraud', severity: 5 });
  });
  of(scene, 'repeat').forEach((who, i) => {
    for (const daysAgo of [130 - (i % 20), 60 - (i % 20)])
      upheld(scene, who, { daysAgo, category: 'fraud', severity: 5 });
  });
}

/** A report, upheld two days later at `severity` (the policy's most, if it allows less). */
function upheld(
  scene: LivingScene,
  who: Someone,
  { daysAgo, category, severity }: { daysAgo: number; category: string; severity: number },
): void {
  const max = scene.ctx.policy.category(category)?.maxSeverity;
  if (max === undefined) return;
  scene.at(daysAgo, async () => {
    const caseId = await scene.report(who, category);
    scene.at(daysAgo - 2, () =>
      scene.decide(caseId, {
        outcome: 'upheld',
        severity: Math.min(severity, max),
        rationale: 'The world’s logs confirm the reports',
      }),
    );
  });
}

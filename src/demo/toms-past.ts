import { dayMs } from '../util/time.ts';
import type { DemoClient } from './client.ts';
import type { DemoCast } from './population.ts';

/**
 * What Tom has behind him when `serve --demo` starts, so that his own screens have something in
 * them before the story's case: the Plaza's thanks over the last months (his score and two of
 * its dimensions move), a spam report upheld, appealed and overturned (an appeal, and a case
 * closed in his favour), the registry reading his profile for a purpose (his access history),
 * and an airline checking him. His rumours case, filed after, is the only open one.
 */
export async function giveTomAPast(client: DemoClient, cast: DemoCast, now: Date): Promise<void> {
  const t = cast.tokens;
  const ago = (days: number) => new Date(now.getTime() - days * dayMs).toISOString();
  const thanks = [
    { id: 'tom-thanks-1', category: 'helping_others', severity: 3, occurredAt: ago(100) },
    { id: 'tom-thanks-2', category: 'volunteering', severity: 2, occurredAt: ago(70) },
    { id: 'tom-thanks-3', category: 'honest_trade', severity: 3, occurredAt: ago(40) },
    { id: 'tom-thanks-4', category: 'volunteering', severity: 3, occurredAt: ago(12) },
  ].map((e) => ({ ...e, world: 'plaza', handle: 'tom' }));
  await client.step(
    'POST',
    '/v1/events',
    { token: t.platform, body: { events: thanks }, status: 200 },
    (b) => `the Plaza thanks Tom for months of help: ${b.results.length} events`,
  );
  const report = {
    world: 'plaza',
    handle: 'tom',
    category: 'spam',
    reporter: 'carol',
    description: 'Posted the link to his stream in every channel of the market',
    evidence: [{ sha256: 'b'.repeat(64), uri: 'https://evidence.plaza.example/carol-market' }],
    occurredAt: ago(9),
  };
  const filed = await client.step(
    'POST',
    '/v1/reports',
    { token: t.platform, body: report, status: 202 },
    (b) => `carol reports Tom for spam: case ${b.caseId}`,
  );
  const caseId = filed?.caseId as string;
  await client.step(
    'POST',
    `/v1/cases/${caseId}/decision`,
    {
      token: t.moderator,
      status: 200,
      body: {
        outcome: 'upheld',
        severity: 1,
        rationale: 'The market channel logs show the same link posted twelve times',
      },
    },
    (b) => `the spam case is ${b.decision.outcome}`,
  );
  await client.step(
    'POST',
    `/v1/cases/${caseId}/appeal`,
    {
      token: t.subject,
      status: 200,
      body: { reason: 'The market organisers asked streamers to post their links there that day' },
    },
    (b) => `Tom appeals: case ${b.status}`,
  );
  await client.step(
    'POST',
    `/v1/cases/${caseId}/appeal/decision`,
    {
      token: t.appeals,
      status: 200,
      body: { outcome: 'overturned', rationale: 'The organisers confirm they invited the links' },
    },
    (b) => `the appeal is ${b.appeal.status}`,
  );
  await client.step(
    'GET',
    `/v1/subjects/${cast.tom}?purpose=support`,
    { token: t.registrar, status: 200 },
    () => 'the registry reads Tom’s profile to answer his support request (logged)',
  );
  await client.step(
    'GET',
    `/v1/eligibility?subject=${cast.tom}&action=travel.air`,
    { token: t.airline, status: 200 },
    (b) => `Skyline Airways checks Tom: allowed ${b.allowed}`,
  );
}

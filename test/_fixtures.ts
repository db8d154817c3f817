import { type Harness, personEnrolment } from './_util.ts';

/** Principals and a bound avatar for the conduct tests: Tom in the plaza. */
export async function conductFixture(h: Harness, world = 'plaza') {
  const admin = await h.token({ role: 'admin' });
  const registrar = await h.token({ role: 'registrar' });
  const moderator = await h.token({ role: 'moderator' });
  // Appeals go to a moderator other than who decided (issue 14).
  const reviewer = await h.token({ role: 'moderator' });
  const created = await h.call('POST', '/v1/worlds', { token: admin, body: { id: world, name: world } });
  const platform: string = created.body.platform.token;
  const airline = await h.token({ role: 'service', actions: ['travel.air', 'travel.rail'] });
  const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
  const tom: string = enrolled.body.id;
  await h.call('PUT', `/v1/worlds/${world}/avatars/tom`, { token: platform, body: { subject: tom } });
  const subject = await h.token({ role: 'subject', subject: tom });
  return { admin, registrar, moderator, reviewer, platform, airline, tom, subject, world };
}

export function report(world: string, reporter: string, category = 'spreading_rumors') {
  return {
    world,
    handle: 'tom',
    category,
    reporter,
    description: 'Keeps posting that the plaza bank is insolvent to start a run on it',
    evidence: [{ sha256: 'b'.repeat(64), uri: 'https://evidence.example/plaza/123' }],
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
  };
}

import assert from 'node:assert/strict';
import { bindByConsent } from './_people.ts';
import { type Harness, organisationEnrolment, personEnrolment } from './_util.ts';

/** Principals and a bound avatar for the conduct tests: Tom in the plaza. */
export async function conductFixture(h: Harness, world = 'plaza') {
  const admin = await h.token({ role: 'admin' });
  const registrar = await h.token({ role: 'registrar' });
  const moderator = await h.token({ role: 'moderator' });
  // Appeals go to a moderator other than who decided (issue 14).
  const reviewer = await h.token({ role: 'moderator' });
  const created = await h.call('POST', '/v1/worlds', { token: admin, body: { id: world, name: world } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const platform: string = created.body.platform.token;
  const airline = await h.token({ role: 'service', actions: ['travel.air', 'travel.rail'] });
  const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
  const tom: string = enrolled.body.id;
  // Tom binds his avatar by signing in to the world through mdis and consenting.
  const tomPerson = await bindByConsent(h, {
    admin,
    world,
    handle: 'tom',
    code: enrolled.body.activation.code,
  });
  const subject = await h.token({ role: 'subject', subject: tom });
  return { admin, registrar, moderator, reviewer, platform, airline, tom, subject, world, tomPerson };
}

/**
 * Binds `handles` in `world` (a report's reporter must be a bound avatar there) to `subject`, or
 * to a witness enrolled for them: an organisation, so that rankings and counts of persons stay
 * those of the test.
 */
export async function bindReporters(
  h: Harness,
  world: string,
  handles: readonly string[],
  subject?: string,
): Promise<void> {
  let witness = subject;
  if (witness === undefined) {
    const registrar = await h.token({ role: 'registrar' });
    witness = (await h.call('POST', '/v1/subjects', { token: registrar, body: organisationEnrolment() })).body
      .id as string;
  }
  for (const handle of handles) await h.ctx.avatars.bind({ world, handle, subject: witness }, 'test');
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

/**
 * Sends `categories` as severity-5 conduct events about `handle` in the fixture's world, and
 * upholds each case they open at severity 5: the quickest way to grade D.
 */
export async function upheldAtWorst(
  h: Pick<Harness, 'call'>,
  f: Pick<Awaited<ReturnType<typeof conductFixture>>, 'world' | 'platform' | 'moderator'>,
  handle: string,
  categories: readonly string[],
): Promise<void> {
  const occurredAt = new Date(Date.now() - 60_000).toISOString();
  const events = categories.map((category, i) => ({
    id: `worst-${handle}-${i}`,
    world: f.world,
    handle,
    category,
    severity: 5,
    occurredAt,
  }));
  const sent = await h.call('POST', '/v1/events', { token: f.platform, body: { events } });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  for (const caseId of new Set(sent.body.results.map((r: { caseId: string }) => r.caseId))) {
    const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: f.moderator,
      body: { outcome: 'upheld', severity: 5, rationale: 'Scams and a stolen identity, confirmed' },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
  }
}

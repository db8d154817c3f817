import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { conductFixture, upheldAtWorst } from './_fixtures.ts';
import { bindByConsent } from './_people.ts';
import { forEachStore, personEnrolment } from './_util.ts';

// Which reason a denial gives when a person is banned (docs/eligibility.md, "What denies what"):
// a ban denies the world actions in every world and nothing else, so a service outside the worlds
// never learns of it. An airline that denies a banned person at grade D is told "grade"; a
// restriction naming the action is a reason it is told, ahead of the grade.

forEachStore('eligibility: the reason a banned person is denied', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  const check = async (token: string, subject: string, action: string) =>
    (await h.call('GET', `/v1/eligibility?subject=${subject}&action=${action}`, { token })).body;
  const impose = async (body: Record<string, unknown>) => {
    const imposed = await h.call('POST', '/v1/sanctions', { token: f.moderator, body });
    assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
    return imposed.body.id as string;
  };

  before(async () => {
    f = await conductFixture(h);
  });

  test('a ban alone denies the worlds, not a flight', async () => {
    const ban = await impose({ subject: f.tom, kind: 'ban', reason: 'Threats in every world' });
    assert.deepEqual(await check(f.platform, f.tom, 'world.enter'), {
      allowed: false,
      reason: 'banned',
      sanctionIds: [ban],
    });
    assert.deepEqual(await check(f.airline, f.tom, 'travel.air'), {
      allowed: true,
      reason: 'eligible',
      sanctionIds: [],
    });
  });

  test('banned and at grade D: the airline hears "grade", a restriction of flights comes first', async () => {
    const enrolled = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
    const id = enrolled.body.id;
    await bindByConsent(h, {
      admin: f.admin,
      world: f.world,
      handle: 'mallory',
      code: enrolled.body.activation.code,
    });
    await upheldAtWorst(h, f, 'mallory', ['fraud', 'fraud', 'identity_theft']);
    const credit = await h.call('GET', `/v1/subjects/${id}/credit`, { token: f.moderator });
    assert.equal(credit.body.grade, 'D');

    const ban = await impose({ subject: id, kind: 'ban', reason: 'Scams in every world' });
    assert.deepEqual(await check(f.airline, id, 'travel.air'), {
      allowed: false,
      reason: 'grade',
      sanctionIds: [],
    });
    assert.equal((await check(f.platform, id, 'world.enter')).reason, 'banned');

    const restriction = await impose({
      subject: id,
      kind: 'restriction',
      actions: ['travel.air'],
      reason: 'Bought tickets with stolen cards',
    });
    const denied = await check(f.airline, id, 'travel.air');
    assert.deepEqual(denied, { allowed: false, reason: 'restricted', sanctionIds: [restriction] });
    assert.ok(!denied.sanctionIds.includes(ban), 'the ban is not the airline’s business');
    // The same answers from the index as a restart builds it.
    await h.ctx.eligibility.rebuild();
    assert.deepEqual(await check(f.airline, id, 'travel.air'), denied);
  });
});

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { bindByConsent } from './_people.ts';
import { forEachStore, personEnrolment } from './_util.ts';

// The moderators' queue and the sanctions list return exactly what their filters name.
forEachStore('case queue and sanctions list filters', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let dora: string;
  const cases: Record<string, string> = {};

  before(async () => {
    f = await conductFixture(h);
    const arena = await h.call('POST', '/v1/worlds', {
      token: f.admin,
      body: { id: 'arena', name: 'Arena' },
    });
    const arenaPlatform: string = arena.body.platform.token;
    await bindByConsent(h, { admin: f.admin, world: 'arena', handle: 'tom', person: f.tomPerson });
    const enrolled = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
    dora = enrolled.body.id;
    await bindByConsent(h, {
      admin: f.admin,
      world: f.world,
      handle: 'dora',
      code: enrolled.body.activation.code,
    });
    await bindReporters(h, f.world, ['r1', 'r2', 'r3']);
    await bindReporters(h, 'arena', ['r4']);
    const file = async (name: string, token: string, body: ReturnType<typeof report>) => {
      const filed = await h.call('POST', '/v1/reports', { token, body });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      cases[name] = filed.body.caseId;
    };
    await file('plaza tom spam', f.platform, report(f.world, 'r1', 'spam'));
    await file('plaza tom fraud', f.platform, report(f.world, 'r2', 'fraud'));
    await file('plaza dora spam', f.platform, { ...report(f.world, 'r3', 'spam'), handle: 'dora' });
    await file('arena tom spam', arenaPlatform, report('arena', 'r4', 'spam'));
    const dismissed = await h.call('POST', `/v1/cases/${cases['plaza tom fraud']}/decision`, {
      token: f.moderator,
      body: { outcome: 'dismissed', rationale: 'A fair trade that went wrong' },
    });
    assert.equal(dismissed.status, 200, JSON.stringify(dismissed.body));
  });

  const queue = async (query: string) => {
    const reply = await h.call('GET', `/v1/cases?${query}`, { token: f.moderator });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body.items.map((c: { id: string }) => c.id).sort();
  };
  const named = (...names: string[]) => names.map((name) => cases[name]).sort();

  test('by category, world and status, alone and together', async () => {
    assert.deepEqual(
      await queue('category=spam'),
      named('plaza tom spam', 'plaza dora spam', 'arena tom spam'),
    );
    assert.deepEqual(await queue('category=spam&world=plaza'), named('plaza tom spam', 'plaza dora spam'));
    assert.deepEqual(await queue('world=arena'), named('arena tom spam'));
    assert.deepEqual(
      await queue('status=open'),
      named('plaza tom spam', 'plaza dora spam', 'arena tom spam'),
    );
    assert.deepEqual(await queue('status=decided'), named('plaza tom fraud'));
    assert.deepEqual(await queue('status=decided&category=spam'), []);
  });

  test('an unknown category or status is a 400 naming it, not an empty queue', async () => {
    for (const [query, field] of [
      ['category=littering', 'category'],
      ['status=pending', 'status'],
    ]) {
      const reply = await h.call('GET', `/v1/cases?${query}`, { token: f.moderator });
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.error, 'invalid_request');
      assert.equal(reply.body.field, field);
    }
  });

  test("one subject's sanctions, page by page, and no one else's", async () => {
    const impose = async (subject: string, reason: string) => {
      const body = { subject, kind: 'warning', reason };
      const imposed = await h.call('POST', '/v1/sanctions', { token: f.moderator, body });
      assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
      return imposed.body.id as string;
    };
    const toms = [await impose(f.tom, 'first'), await impose(f.tom, 'second'), await impose(f.tom, 'third')];
    const doras = [await impose(dora, 'hers')];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.call(
        'GET',
        `/v1/sanctions?subject=${f.tom}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: f.moderator },
      );
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((s: { id: string }) => s.id));
      cursor = page.body.cursor;
    } while (cursor !== undefined);
    assert.deepEqual([...seen].sort(), [...toms].sort());
    const whole = await h.call('GET', `/v1/sanctions?subject=${f.tom}&limit=500`, { token: f.moderator });
    assert.deepEqual(
      seen,
      whole.body.items.map((s: { id: string }) => s.id),
      'the pages in the order of one whole list',
    );
    const hers = await h.call('GET', `/v1/sanctions?subject=${dora}`, { token: f.moderator });
    assert.deepEqual(
      hers.body.items.map((s: { id: string }) => s.id),
      doras,
    );
  });

  test('a subject’s own record holds every sanction, past a page of 500', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 501; i++) {
      const warning = {
        subject: dora,
        kind: 'warning' as const,
        reason: `warning ${i}`,
        source: 'manual' as const,
      };
      ids.add((await h.ctx.sanctions.impose(warning, 'test')).id);
    }
    const token = await h.token({ role: 'subject', subject: dora });
    const me = await h.call('GET', '/v1/me', { token });
    assert.equal(me.status, 200);
    const listed = me.body.sanctions.map((s: { id: string }) => s.id);
    assert.equal(new Set(listed).size, listed.length, 'none twice');
    for (const id of ids) assert.ok(listed.includes(id), id);
  });
});

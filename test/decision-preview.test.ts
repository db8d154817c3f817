import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { forEachStore } from './_util.ts';

// Issue 14, part 4: a decision states its effects before it is recorded. From policy/default.json:
// spreading_rumors runs 1–3, severity 2 is −55 points and 2 strikes; the ladder suspends for 2
// days at 2 strikes (−20 points) and for 3 days at 3.
forEachStore('decision preview: the effects before the decision', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let caseId: string;
  const preview = (query = '', token = f.moderator) =>
    h.call('GET', `/v1/cases/${caseId}/decision/preview${query}`, { token });

  before(async () => {
    f = await conductFixture(h);
    await bindReporters(h, f.world, ['alice']);
    caseId = (await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'alice') })).body
      .caseId;
  });

  test('without a severity: the category’s range', async () => {
    const reply = await preview();
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { category: 'spreading_rumors', severity: { min: 1, max: 3 } });
  });

  test('with one: strikes, the ladder’s sanction and the points, and nothing written', async () => {
    const before = await h.snapshot();
    const reply = await preview('?severity=2');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.effects, {
      severity: 2,
      strikes: 2,
      activeStrikes: { before: 0, after: 2 },
      ladderSanction: { kind: 'suspension', days: 2, points: -20 },
      points: -55,
    });
    assert.equal(await h.snapshot(), before);
  });

  test('bad input: a severity above the category’s, another role', async () => {
    const before = await h.snapshot();
    const above = await preview('?severity=4');
    assert.deepEqual(
      [above.status, above.body.error, above.body.field],
      [400, 'invalid_request', 'severity'],
    );
    const zero = await preview('?severity=0');
    assert.equal(zero.status, 400);
    assert.equal((await preview('', f.subject)).status, 403);
    assert.equal(
      (await h.call('GET', '/v1/cases/case_0000000000000000/decision/preview', { token: f.moderator }))
        .status,
      404,
    );
    assert.equal(await h.snapshot(), before);
  });

  test('the decision then does what the preview said', async () => {
    const said = (await preview('?severity=2')).body.effects;
    const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: f.moderator,
      body: { outcome: 'upheld', severity: 2, rationale: 'Rumours' },
    });
    assert.equal(decided.status, 200);
    const me = (await h.call('GET', '/v1/me', { token: f.subject })).body;
    assert.equal(me.strikes.active, said.activeStrikes.after);
    const ladder = me.sanctions.find((s: { source: string }) => s.source === 'ladder');
    assert.equal(ladder.kind, said.ladderSanction.kind);
    assert.equal(me.credit.score, 1000 + said.points + said.ladderSanction.points);
  });
});

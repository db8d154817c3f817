import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { sqliteFileName } from '../src/db/database.ts';
import { entriesSince, logSize } from './_access.ts';
import { dumpPostgresSchema, forEachStore, type Harness, personEnrolment } from './_util.ts';

// Issue 15, items 1 and 3: the person sees its own attributes (current and every version) and
// proposes corrections; a registrar reads each one (a logged read) and accepts it, which adds an
// attribute version, or refuses it with a reason; the person sees the outcome.

const clock = { ms: Date.parse('2026-12-02T09:00:00Z'), now: () => new Date(clock.ms) };
const minutes = (n: number) => {
  clock.ms += n * 60_000;
};

/** Every text the store holds: the raw SQLite file (and its WAL), or every PostgreSQL row as text. */
async function storeText(h: Harness): Promise<string> {
  if (h.store === 'postgres') return dumpPostgresSchema(h.ctx.db);
  h.ctx.store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(h.dataDir, sqliteFileName);
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

forEachStore(
  'corrections',
  (h) => {
    let registrar: { id: string; token: string };
    let person: string;
    let subject: string;
    let other: string;

    const enrol = async () => {
      const created = await h.call('POST', '/v1/subjects', {
        token: registrar.token,
        body: personEnrolment(),
      });
      assert.equal(created.status, 201);
      return created.body.id as string;
    };
    const propose = (body: unknown, token = person) => h.call('POST', '/v1/me/corrections', { token, body });

    before(async () => {
      const made = await h.ctx.principals.create({ role: 'registrar', organisation: 'Civil Registry' });
      registrar = { id: made.principal.id, token: made.token };
      subject = await enrol();
      person = await h.token({ role: 'subject', subject });
      other = await h.token({ role: 'subject', subject: await enrol() });
      // A version 2 of social, so that the profile has a history.
      minutes(1);
      const patched = await h.call('PATCH', `/v1/subjects/${subject}/attributes`, {
        token: registrar.token,
        body: { social: { occupation: 'Painter' } },
      });
      assert.equal(patched.status, 200);
    });

    test('the person reads its own profile with every version; not logged as a staff read', async () => {
      const size = await logSize(h);
      const before = await h.snapshot();
      const profile = await h.call('GET', '/v1/me/profile', { token: person });
      assert.equal(profile.status, 200, JSON.stringify(profile.body));
      assert.equal(profile.body.id, subject);
      assert.equal(profile.body.natural.legalName, 'Thomas Example');
      assert.equal(profile.body.social.occupation, 'Painter');
      assert.deepEqual(profile.body.versions, { natural: 1, social: 2, signs: 1 });
      const social = profile.body.history.filter((v: { group: string }) => v.group === 'social');
      assert.deepEqual(
        social.map((v: { version: number; value: { occupation: string } }) => [
          v.version,
          v.value.occupation,
        ]),
        [
          [1, 'Streamer'],
          [2, 'Painter'],
        ],
      );
      assert.equal(await h.snapshot(), before, 'reading one’s own profile wrote');
      assert.equal(await logSize(h), size);
      const access = await h.call('GET', '/v1/me/access?list=reads', { token: person });
      assert.deepEqual(access.body.reads.items, []);
      // Its own only: another subject sees its own profile, not this one.
      const theirs = await h.call('GET', '/v1/me/profile', { token: other });
      assert.notEqual(theirs.body.id, subject);
    });

    test('propose → queue → review (a logged read) → accept: a new version the person sees', async () => {
      const size = await logSize(h);
      minutes(1);
      const proposed = await propose({
        field: 'natural.legalName',
        value: 'Thomasina Exampleton',
        reason: 'My name is misspelt: see my passport',
      });
      assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
      assert.equal(proposed.body.status, 'pending');
      assert.equal(proposed.body.value, 'Thomasina Exampleton');
      const id: string = proposed.body.id;

      const queue = await h.call('GET', '/v1/corrections?status=pending', { token: registrar.token });
      assert.equal(queue.status, 200);
      const queued = queue.body.items.find((c: { id: string }) => c.id === id);
      assert.deepEqual(
        { subject: queued.subject, field: queued.field, baseVersion: queued.baseVersion },
        { subject, field: 'natural.legalName', baseVersion: 1 },
      );
      assert.ok(!JSON.stringify(queue.body).includes('Thomasina'), 'the queue shows no value');

      const review = await h.call('GET', `/v1/corrections/${id}`, { token: registrar.token });
      assert.equal(review.status, 200, JSON.stringify(review.body));
      assert.equal(review.body.current, 'Thomas Example');
      assert.equal(review.body.proposed, 'Thomasina Exampleton');
      assert.equal(review.body.reason, 'My name is misspelt: see my passport');
      const reads = await h.call('GET', '/v1/me/access?list=reads', { token: person });
      assert.deepEqual(
        reads.body.reads.items.map((r: { purpose: string; organisation: string }) => [
          r.purpose,
          r.organisation,
        ]),
        [['correction', 'Civil Registry']],
      );

      minutes(1);
      const accepted = await h.call('POST', `/v1/corrections/${id}/accept`, { token: registrar.token });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.deepEqual([accepted.body.status, accepted.body.version], ['accepted', 2]);

      const profile = await h.call('GET', '/v1/me/profile', { token: person });
      assert.equal(profile.body.natural.legalName, 'Thomasina Exampleton');
      assert.equal(profile.body.versions.natural, 2);
      assert.equal(
        profile.body.history.find(
          (v: { group: string; version: number }) => v.group === 'natural' && v.version === 2,
        ).createdBy,
        registrar.id,
      );
      const mine = await h.call('GET', '/v1/me/corrections', { token: person });
      assert.equal(mine.status, 200);
      assert.deepEqual(
        mine.body.items.map((c: { id: string; status: string; version: number }) => [
          c.id,
          c.status,
          c.version,
        ]),
        [[id, 'accepted', 2]],
      );

      const kinds = (await entriesSince(h, size)).map((e) => [e.kind, e.refs.correction ?? null]);
      assert.deepEqual(kinds, [
        ['correction.proposed', id],
        ['subject.read', null],
        ['subject.attributes_changed', null],
        ['correction.accepted', id],
      ]);
    });

    test('refuse with a reason: the person sees it; nothing about the attributes changes', async () => {
      minutes(1);
      const proposed = await propose({
        field: 'social.email',
        value: 'thomasina@example.org',
        reason: 'New address',
      });
      assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
      const id: string = proposed.body.id;
      const size = await logSize(h);
      const versions = (await h.call('GET', '/v1/me/profile', { token: person })).body.versions;
      minutes(1);
      const refused = await h.call('POST', `/v1/corrections/${id}/refuse`, {
        token: registrar.token,
        body: { reason: 'Send proof that the address is yours' },
      });
      assert.equal(refused.status, 200, JSON.stringify(refused.body));
      assert.equal(refused.body.status, 'refused');
      assert.equal(
        (await h.call('GET', '/v1/me/profile', { token: person })).body.versions.social,
        versions.social,
      );
      const mine = await h.call('GET', '/v1/me/corrections', { token: person });
      const shown = mine.body.items.find((c: { id: string }) => c.id === id);
      assert.equal(shown.refusalReason, 'Send proof that the address is yours');
      assert.equal(shown.decidedBy, registrar.id);
      const entries = await entriesSince(h, size);
      assert.deepEqual(
        entries.map((e) => [e.kind, e.refs.correction, e.refs.field]),
        [['correction.refused', id, 'social.email']],
      );
      // A refused field may be proposed again.
      const again = await propose({
        field: 'social.email',
        value: 'thomasina@example.org',
        reason: 'Proof sent',
      });
      assert.equal(again.status, 201, JSON.stringify(again.body));
    });

    test('a person without a stated given name proposes one; accepted, it is in their natural identity', async () => {
      const someone = await enrol();
      const token = await h.token({ role: 'subject', subject: someone });
      const proposed = await propose(
        { field: 'natural.givenName', value: 'Thomas', reason: 'My given name, as on my passport' },
        token,
      );
      assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
      const accepted = await h.call('POST', `/v1/corrections/${proposed.body.id}/accept`, {
        token: registrar.token,
      });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      const profile = await h.call('GET', '/v1/me/profile', { token });
      assert.equal(profile.body.natural.givenName, 'Thomas');
      assert.equal(profile.body.natural.legalName, 'Thomas Example');
      assert.equal(profile.body.natural.familyName, undefined);
    });

    test('bad input: a clear error and nothing written', async () => {
      const pending = await propose({ field: 'social.phone', value: '+447700900555', reason: 'New number' });
      assert.equal(pending.status, 201, JSON.stringify(pending.body));
      const closed = (await h.call('GET', '/v1/me/corrections', { token: person })).body.items.find(
        (c: { status: string }) => c.status === 'accepted',
      ).id;
      const cases: [
        string,
        () => Promise<{ status: number; body: Record<string, string> }>,
        number,
        string,
      ][] = [
        [
          'an unknown field',
          () => propose({ field: 'natural.shoeSize', value: '44', reason: 'r' }),
          400,
          'invalid_request',
        ],
        [
          'an unknown group',
          () => propose({ field: 'secret.x', value: '1', reason: 'r' }),
          400,
          'invalid_request',
        ],
        [
          'a nested path',
          () => propose({ field: 'natural.document.number', value: 'X1', reason: 'r' }),
          400,
          'invalid_request',
        ],
        [
          'an organisation’s field on a person',
          () => propose({ field: 'natural.foundedOn', value: '2000-01-01', reason: 'r' }),
          400,
          'invalid_request',
        ],
        [
          'a value a registrar could not set',
          () => propose({ field: 'natural.birthDate', value: '2999-01-01', reason: 'r' }),
          400,
          'invalid_request',
        ],
        [
          'a given name over 100 characters',
          () => propose({ field: 'natural.givenName', value: 'x'.repeat(101), reason: 'r' }),
          400,
          'invalid_request',
        ],
        [
          'removing a required field',
          () => propose({ field: 'natural.legalName', value: null, reason: 'r' }),
          400,
          'invalid_request',
        ],
        ['no value', () => propose({ field: 'social.employer', reason: 'r' }), 400, 'invalid_request'],
        [
          'an over-long reason',
          () => propose({ field: 'social.employer', value: 'Acme', reason: 'x'.repeat(2001) }),
          400,
          'invalid_request',
        ],
        [
          'an empty reason',
          () => propose({ field: 'social.employer', value: 'Acme', reason: '' }),
          400,
          'invalid_request',
        ],
        [
          'a sign',
          () => propose({ field: 'signs.deviceIds', value: ['dev:1'], reason: 'not mine' }),
          422,
          'not_correctable',
        ],
        [
          'the current value',
          () => propose({ field: 'social.occupation', value: 'Painter', reason: 'r' }),
          409,
          'correction_unchanged',
        ],
        [
          'a second pending correction',
          () => propose({ field: 'social.phone', value: '+447700900556', reason: 'r' }),
          409,
          'correction_pending',
        ],
        [
          'accepting a closed one',
          () => h.call('POST', `/v1/corrections/${closed}/accept`, { token: registrar.token }),
          409,
          'correction_closed',
        ],
        [
          'refusing a closed one',
          () =>
            h.call('POST', `/v1/corrections/${closed}/refuse`, {
              token: registrar.token,
              body: { reason: 'no' },
            }),
          409,
          'correction_closed',
        ],
        [
          'refusing without a reason',
          () =>
            h.call('POST', `/v1/corrections/${pending.body.id}/refuse`, { token: registrar.token, body: {} }),
          400,
          'invalid_request',
        ],
        [
          'an unknown correction',
          () => h.call('POST', '/v1/corrections/cor_0000000000000000/accept', { token: registrar.token }),
          404,
          'correction_not_found',
        ],
        [
          'reading an unknown correction',
          () => h.call('GET', '/v1/corrections/cor_0000000000000000', { token: registrar.token }),
          404,
          'correction_not_found',
        ],
        [
          'a malformed correction id',
          () => h.call('GET', '/v1/corrections/nope', { token: registrar.token }),
          400,
          'invalid_request',
        ],
        [
          'a malformed cursor',
          () => h.call('GET', '/v1/corrections?cursor=nope', { token: registrar.token }),
          400,
          'invalid_request',
        ],
      ];
      for (const [what, request, status, error] of cases) {
        const before = await h.snapshot();
        const reply = await request();
        assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.error, error, what);
        assert.equal(typeof reply.body.message, 'string', what);
        assert.equal(await h.snapshot(), before, `${what}: something was written`);
      }
    });

    test('the registrars’ queue pages with an opaque cursor, oldest first', async () => {
      const ids: string[] = [];
      for (const field of ['social.employer', 'social.workTitle', 'natural.nationality']) {
        minutes(1);
        const value = field === 'natural.nationality' ? 'FR' : `Value of ${field}`;
        const made = await propose({ field, value, reason: 'Changed' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        ids.push(made.body.id);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.call('GET', `/v1/corrections?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: registrar.token,
        });
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((c: { id: string }) => c.id));
        cursor = page.body.cursor;
      } while (cursor !== undefined);
      assert.deepEqual(seen.slice(-3), ids);
      assert.equal(new Set(seen).size, seen.length);
      const decided = await h.call('GET', '/v1/corrections?status=accepted', { token: registrar.token });
      assert.ok(decided.body.items.every((c: { status: string }) => c.status === 'accepted'));
      assert.ok(decided.body.items.length >= 1);
    });

    test('accepting is checked as PATCH checks: another’s document, a value the field has by now', async () => {
      const taken = personEnrolment();
      const holder = await h.call('POST', '/v1/subjects', { token: registrar.token, body: taken });
      assert.equal(holder.status, 201);
      const document = { ...taken.natural.document };
      const made = await propose({
        field: 'natural.document',
        value: document,
        reason: 'This is my passport',
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      let before = await h.snapshot();
      const duplicate = await h.call('POST', `/v1/corrections/${made.body.id}/accept`, {
        token: registrar.token,
      });
      assert.equal(duplicate.status, 409, JSON.stringify(duplicate.body));
      assert.equal(duplicate.body.error, 'duplicate_identity');
      assert.equal(await h.snapshot(), before, 'a refused acceptance wrote');

      const moved = await propose({ field: 'social.occupation', value: 'Head painter', reason: 'Promoted' });
      assert.equal(moved.status, 201, JSON.stringify(moved.body));
      const patched = await h.call('PATCH', `/v1/subjects/${subject}/attributes`, {
        token: registrar.token,
        body: { social: { occupation: 'Head painter' } },
      });
      assert.equal(patched.status, 200);
      before = await h.snapshot();
      const unchanged = await h.call('POST', `/v1/corrections/${moved.body.id}/accept`, {
        token: registrar.token,
      });
      assert.equal(unchanged.status, 409, JSON.stringify(unchanged.body));
      assert.equal(unchanged.body.error, 'correction_unchanged');
      assert.equal(await h.snapshot(), before, 'a refused acceptance wrote');
    });

    test('no plaintext of a proposed value or reason in the store nor in the log', async () => {
      const value = 'Zephyrine Quackenbush';
      const reason = 'Obadiah-Reason-Marker';
      const refusal = 'Refusal-Marker-Xylophone';
      const other = await enrol();
      const token = await h.token({ role: 'subject', subject: other });
      const made = await propose({ field: 'natural.legalName', value, reason }, token);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const size = await logSize(h);
      await h.call('POST', `/v1/corrections/${made.body.id}/refuse`, {
        token: registrar.token,
        body: { reason: refusal },
      });
      assert.ok(size > 0);
      const haystack = await storeText(h);
      assert.ok(haystack.includes(made.body.id), 'read the store');
      for (const needle of [value, reason, refusal]) {
        assert.ok(!haystack.includes(needle), `found "${needle}" in the store`);
        assert.ok(!h.logs.join('\n').includes(needle), `found "${needle}" in the server's log`);
      }
      const entries = await entriesSince(h, 0);
      const texts = entries.map((e) => e.text).join('\n');
      for (const needle of [value, reason, refusal])
        assert.ok(!texts.includes(needle), `"${needle}" in the log`);
      const mine = await h.call('GET', '/v1/me/corrections', { token });
      assert.deepEqual(
        [mine.body.items[0].value, mine.body.items[0].reason, mine.body.items[0].refusalReason],
        [value, reason, refusal],
      );
    });
  },
  { now: clock.now },
);

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Person } from './_people.ts';
import { forEachStore, personEnrolment } from './_util.ts';

/** A person's (or a staff member's) own sessions: listed, one ended, all others ended. */

const clock = { ms: Date.parse('2026-12-01T09:00:00Z'), now: () => new Date(clock.ms) };
const minute = 60_000;

forEachStore(
  'a person’s sessions',
  (h) => {
    let registrar: string;

    before(async () => {
      registrar = await h.token({ role: 'registrar' });
    });

    /** A person signed in on two devices (the phone by activation, the laptop by passkey). */
    async function onTwoDevices() {
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      const phone = new Person(h);
      assert.equal((await phone.activate(enrolled.body.activation.code)).status, 201);
      clock.ms += minute;
      const laptop = new Person(h);
      Object.assign(laptop, { authenticator: phone.authenticator });
      assert.equal((await laptop.signIn()).status, 201);
      return { phone, laptop };
    }

    test('lists the live sessions, newest first, the caller’s marked current; no cookie shown', async () => {
      const { phone, laptop } = await onTwoDevices();
      const listed = await phone.call('GET', '/v1/sessions');
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.equal(listed.body.items.length, 2);
      const [newest, oldest] = listed.body.items;
      assert.equal(newest.createdAt, new Date(clock.ms).toISOString());
      assert.equal(oldest.createdAt, new Date(clock.ms - minute).toISOString());
      assert.deepEqual(
        listed.body.items.map((s: { current: boolean }) => s.current),
        [false, true],
      );
      for (const s of listed.body.items) assert.match(s.id, /^ses_[0-9a-z]{16}$/);
      const text = JSON.stringify(listed.body);
      assert.ok(!text.includes(phone.cookie!) && !text.includes(laptop.cookie!));
      const fromLaptop = await laptop.call('GET', '/v1/sessions');
      assert.deepEqual(
        fromLaptop.body.items.map((s: { id: string; current: boolean }) => [s.id, s.current]),
        [
          [newest.id, true],
          [oldest.id, false],
        ],
      );
    });

    test('an idle session is no longer listed', async () => {
      const { phone, laptop } = await onTwoDevices();
      clock.ms += 20 * minute;
      assert.equal((await laptop.call('GET', '/v1/session')).status, 200);
      clock.ms += 15 * minute; // the phone idle 36 minutes (the idle timeout is 30), the laptop 15
      const listed = await laptop.call('GET', '/v1/sessions');
      assert.equal(listed.body.items.length, 1);
      assert.equal(listed.body.items[0].current, true);
      assert.equal((await phone.call('GET', '/v1/session')).status, 401);
    });

    test('ends one session by its id: that device is signed out, this one stays', async () => {
      const { phone, laptop } = await onTwoDevices();
      const listed = await laptop.call('GET', '/v1/sessions');
      const other = listed.body.items.find((s: { current: boolean }) => !s.current);
      const ended = await laptop.call('DELETE', `/v1/sessions/${other.id}`);
      assert.equal(ended.status, 204);
      assert.equal((await phone.call('GET', '/v1/session')).status, 401);
      assert.equal((await laptop.call('GET', '/v1/session')).status, 200);
      const again = await laptop.call('DELETE', `/v1/sessions/${other.id}`);
      assert.equal(again.status, 404);
      assert.equal(again.body.error, 'session_not_found');
      assert.match(again.body.message, new RegExp(other.id));
    });

    test('someone else’s session id is not found, and stays signed in', async () => {
      const tom = await onTwoDevices();
      const ann = await onTwoDevices();
      const annSession = (await ann.phone.call('GET', '/v1/sessions')).body.items[0].id;
      const refused = await tom.phone.call('DELETE', `/v1/sessions/${annSession}`);
      assert.equal(refused.status, 404);
      assert.equal(refused.body.error, 'session_not_found');
      assert.equal((await ann.phone.call('GET', '/v1/sessions')).body.items.length, 2);
      assert.equal((await ann.laptop.call('GET', '/v1/session')).status, 200);
    });

    test('a malformed id is a 400 naming the id, nothing ended', async () => {
      const { phone } = await onTwoDevices();
      // The phone's first call renews its idle time (a write); the snapshot is taken after it.
      assert.equal((await phone.call('GET', '/v1/session')).status, 200);
      const before = await h.snapshot();
      for (const bad of ['nope', 'ses_ABCDEFGHJKMNPQRS', 'ses_0123456789abcdef0', 'prn_0123456789abcdef']) {
        const reply = await phone.call('DELETE', `/v1/sessions/${bad}`);
        assert.equal(reply.status, 400, bad);
        assert.equal(reply.body.error, 'invalid_request', bad);
        assert.equal(reply.body.field, 'id', bad);
      }
      assert.ok((await h.snapshot()) === before, 'nothing was written');
    });

    test('ending a session needs the CSRF token, like every cookie write', async () => {
      const { phone, laptop } = await onTwoDevices();
      const other = (await laptop.call('GET', '/v1/sessions')).body.items.find(
        (s: { current: boolean }) => !s.current,
      );
      const forged = await laptop.call('DELETE', `/v1/sessions/${other.id}`, { csrf: false });
      assert.equal(forged.status, 403);
      assert.equal(forged.body.error, 'csrf_refused');
      assert.equal((await phone.call('GET', '/v1/session')).status, 200);
    });

    test('end all others: every session but this one ends, and this one keeps its cookie', async () => {
      const { phone, laptop } = await onTwoDevices();
      const tablet = new Person(h);
      Object.assign(tablet, { authenticator: phone.authenticator });
      assert.equal((await tablet.signIn()).status, 201);
      const ended = await laptop.call('POST', '/v1/session/end-all?keep=current');
      assert.equal(ended.status, 200);
      assert.equal(ended.body.ended, 2);
      assert.equal(ended.headers['set-cookie'], undefined);
      assert.equal((await phone.call('GET', '/v1/session')).status, 401);
      assert.equal((await tablet.call('GET', '/v1/session')).status, 401);
      assert.equal((await laptop.call('GET', '/v1/session')).status, 200);
      const left = await laptop.call('GET', '/v1/sessions');
      assert.equal(left.body.items.length, 1);
      const wrong = await laptop.call('POST', '/v1/session/end-all?keep=all');
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error, 'invalid_request');
      assert.equal(wrong.body.field, 'keep');
      assert.equal((await laptop.call('GET', '/v1/session')).status, 200);
    });

    test('a staff member with a bearer token sees its passkey sessions, none current, and ends one', async () => {
      const made = await h.ctx.activation.createPrincipal({ role: 'moderator', name: 'Mo' });
      const person = new Person(h);
      assert.equal((await person.activate(made.activation!.code)).status, 201);
      const listed = await h.call('GET', '/v1/sessions', { token: made.token });
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.items.map((s: { current: boolean }) => s.current),
        [false],
      );
      const ended = await h.call('DELETE', `/v1/sessions/${listed.body.items[0].id}`, { token: made.token });
      assert.equal(ended.status, 204);
      assert.equal((await person.call('GET', '/v1/session')).status, 401);
      const none = await h.call('GET', '/v1/sessions');
      assert.equal(none.status, 401);
    });
  },
  { now: clock.now },
);

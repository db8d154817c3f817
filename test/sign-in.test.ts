import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Person } from './_people.ts';
import { forEachStore, personEnrolment } from './_util.ts';

const clock = { ms: Date.parse('2026-12-01T09:00:00Z'), now: () => new Date(clock.ms) };
const minute = 60_000;
const day = 86_400_000;

forEachStore(
  'people sign in with passkeys',
  (h) => {
    let registrar: string;
    let admin: string;

    before(async () => {
      registrar = await h.token({ role: 'registrar' });
      admin = await h.token({ role: 'admin' });
    });

    async function enrol() {
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      return enrolled.body as { id: string; activation: { code: string; expiresAt: string; link: string } };
    }

    async function activated() {
      const subject = await enrol();
      const person = new Person(h);
      const reply = await person.activate(subject.activation.code);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return { subject, person };
    }

    test('enrolment gives a one-time code, valid 7 days, kept only as a hash', async () => {
      const subject = await enrol();
      assert.match(subject.activation.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
      assert.equal(Date.parse(subject.activation.expiresAt) - clock.ms, 7 * day);
      assert.equal(subject.activation.link, `http://localhost:7070/activate?code=${subject.activation.code}`);
      assert.ok(!(await h.snapshot()).includes(subject.activation.code.replaceAll('-', '')));
      const read = await h.call('GET', `/v1/subjects/${subject.id}?purpose=enrolment_check`, {
        token: registrar,
      });
      assert.equal(read.body.activation, undefined);
    });

    test('the person registers a passkey with the code and is signed in by a strict cookie', async () => {
      const subject = await enrol();
      const person = new Person(h);
      const reply = await person.activate(subject.activation.code.toLowerCase());
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      const cookie = String(reply.headers['set-cookie']);
      assert.match(cookie, /^mdis_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
      assert.equal(reply.body.principal.role, 'subject');
      assert.equal(reply.body.principal.subject, subject.id);
      const me = await person.call('GET', '/v1/me');
      assert.equal(me.status, 200, JSON.stringify(me.body));
      const session = await person.call('GET', '/v1/session');
      assert.equal(session.body.csrfToken, person.csrf);
      const current = await person.call('GET', '/v1/session/current');
      assert.equal(current.body.session.principal.subject, subject.id);
      assert.deepEqual((await h.call('GET', '/v1/session/current')).body, { session: null });
      assert.equal((await person.call('GET', '/v1/me/passkeys')).body.items.length, 1);
    });

    test('a wrong, reused or expired code is refused with nothing written', async () => {
      const subject = await enrol();
      const wrong = await h.call('POST', '/v1/activation/options', {
        body: { code: 'AAAA-BBBB-CCCC-DDDD-EEEE' },
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_activation_code');

      const expiring = await enrol();
      clock.ms += 7 * day + 1;
      try {
        const before = await h.snapshot();
        const expired = await h.call('POST', '/v1/activation/options', {
          body: { code: expiring.activation.code },
        });
        assert.equal(expired.status, 401);
        assert.match(expired.body.message, /expired/);
        assert.equal(await h.snapshot(), before);
      } finally {
        clock.ms -= 7 * day + 1;
      }

      const person = new Person(h);
      assert.equal((await person.activate(subject.activation.code)).status, 201);
      const before = await h.snapshot();
      const again = await h.call('POST', '/v1/activation/options', {
        body: { code: subject.activation.code },
      });
      assert.equal(again.status, 401);
      assert.match(again.body.message, /already used/);
      assert.equal(await h.snapshot(), before);
    });

    test('a passkey made for another origin or RP ID, or without user verification, is refused and the code stays usable', async () => {
      const subject = await enrol();
      for (const tamper of [
        { origin: 'https://evil.example' },
        { rpID: 'evil.example' },
        { userVerified: false },
      ]) {
        const person = new Person(h);
        const options = await h.call('POST', '/v1/activation/options', {
          body: { code: subject.activation.code },
        });
        const credential = person.authenticator.register(
          options.body,
          tamper.origin ?? person.origin,
          tamper,
        );
        const before = await h.snapshot();
        const refused = await h.call('POST', '/v1/activation', {
          body: { code: subject.activation.code, credential },
        });
        assert.equal(refused.status, 401, JSON.stringify(tamper));
        assert.equal(refused.body.error, 'passkey_refused');
        assert.equal(await h.snapshot(), before);
      }
      assert.equal((await new Person(h).activate(subject.activation.code)).status, 201);
    });

    test('sign-in with a passkey; a replayed assertion and a counter gone backwards are refused with nothing written', async () => {
      const { subject, person } = await activated();
      const signedIn = await person.signIn();
      assert.equal(signedIn.status, 201);
      assert.equal(signedIn.body.principal.subject, subject.id);

      const { credential } = await person.assertion();
      assert.equal((await person.signInWith(credential)).status, 201);
      let before = await h.snapshot();
      const replayed = await person.signInWith(credential);
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.error, 'passkey_refused');
      assert.equal(await h.snapshot(), before);

      const backwards = await person.assertion({ counter: 1 });
      before = await h.snapshot();
      const refused = await person.signInWith(backwards.credential);
      assert.equal(refused.status, 401);
      assert.match(refused.body.message, /counter/i);
      assert.equal(await h.snapshot(), before);

      for (const tamper of [
        { origin: 'https://evil.example' },
        { rpID: 'evil.example' },
        { userVerified: false },
      ]) {
        const wrong = await person.assertion({ ...tamper, counter: 100 });
        before = await h.snapshot();
        assert.equal((await person.signInWith(wrong.credential)).status, 401, JSON.stringify(tamper));
        assert.equal(await h.snapshot(), before);
      }
    });

    test('a cookie-authenticated write needs the session’s CSRF token', async () => {
      const { person } = await activated();
      const before = await h.snapshot();
      const refused = await person.call('POST', '/v1/me/passkeys/options', { csrf: false });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, 'csrf_refused');
      const forged = await person.call('POST', '/v1/session/end-all', {
        headers: { 'x-csrf-token': 'x'.repeat(43) },
        csrf: false,
      });
      assert.equal(forged.status, 403);
      assert.equal(await h.snapshot(), before);
      assert.equal((await person.call('POST', '/v1/me/passkeys/options')).status, 200);
    });

    test('passkeys are added and removed, never the last one', async () => {
      const { person } = await activated();
      const options = await person.call('POST', '/v1/me/passkeys/options');
      const credential = person.authenticator.register(options.body, person.origin);
      const added = await person.call('POST', '/v1/me/passkeys', { body: { credential, name: 'laptop' } });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.name, 'laptop');
      const list = await person.call('GET', '/v1/me/passkeys');
      const names = list.body.items.map((p: { name: string }) => p.name);
      assert.deepEqual(names.sort(), ['first passkey', 'laptop']);
      const first = list.body.items.find((p: { name: string }) => p.name === 'first passkey');
      // The new one signs in too.
      assert.equal((await person.signIn({ credentialId: added.body.id })).status, 201);
      assert.equal((await person.call('DELETE', `/v1/me/passkeys/${first.id}`)).status, 204);
      const before = await h.snapshot();
      const last = await person.call('DELETE', `/v1/me/passkeys/${added.body.id}`);
      assert.equal(last.status, 409);
      assert.equal(last.body.error, 'last_passkey');
      assert.equal(await h.snapshot(), before);
      const other = await activated();
      const notMine = await other.person.call('DELETE', `/v1/me/passkeys/${added.body.id}`);
      assert.equal(notMine.status, 404);
    });

    test('sessions end after the idle timeout and the absolute lifetime', async () => {
      const { person } = await activated();
      clock.ms += 29 * minute;
      assert.equal((await person.call('GET', '/v1/session')).status, 200);
      clock.ms += 29 * minute;
      assert.equal((await person.call('GET', '/v1/session')).status, 200, 'the idle time was renewed');
      clock.ms += 31 * minute;
      assert.equal((await person.call('GET', '/v1/session')).status, 401, 'idle for 31 minutes');

      assert.equal((await person.signIn()).status, 201);
      for (let hours = 0; hours < 12 * 3; hours++) {
        clock.ms += 20 * minute;
        const reply = await person.call('GET', '/v1/session');
        assert.equal(reply.status, hours < 12 * 3 - 1 ? 200 : 401, `after ${(hours + 1) * 20} minutes`);
      }
    });

    test('sign out, and sign out everywhere', async () => {
      const { person } = await activated();
      const laptop = new Person(h);
      Object.assign(laptop, { authenticator: person.authenticator });
      assert.equal((await laptop.signIn()).status, 201);
      const out = await person.call('DELETE', '/v1/session');
      assert.equal(out.status, 204);
      assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
      assert.equal((await person.call('GET', '/v1/session')).status, 401);
      assert.equal((await laptop.call('GET', '/v1/session')).status, 200);

      assert.equal((await person.signIn()).status, 201);
      const ended = await laptop.call('POST', '/v1/session/end-all');
      assert.equal(ended.status, 200);
      assert.equal(ended.body.ended, 2);
      assert.equal((await person.call('GET', '/v1/session')).status, 401);
      assert.equal((await laptop.call('GET', '/v1/session')).status, 401);
    });

    test('a lost passkey is recovered by a new code: logged, the old code dead, the person told', async () => {
      const { subject } = await enrol().then(async (s) => ({ subject: s }));
      const refused = await h.call('POST', `/v1/subjects/${subject.id}/activation-code`, { token: admin });
      assert.equal(refused.status, 403);
      const recovery = await h.call('POST', `/v1/subjects/${subject.id}/activation-code`, {
        token: registrar,
      });
      assert.equal(recovery.status, 201, JSON.stringify(recovery.body));
      const entries = await h.ctx.db.selectFrom('ledger_entries').select('entry').execute();
      assert.ok(entries.some((e) => String(e.entry).includes('activation.recovery_issued')));
      const stale = await h.call('POST', '/v1/activation/options', {
        body: { code: subject.activation.code },
      });
      assert.equal(stale.status, 401);
      const person = new Person(h);
      const activated = await person.activate(recovery.body.code);
      assert.equal(activated.status, 201);
      assert.equal(activated.body.recoveryCodeIssuedAt, clock.now().toISOString());
      const next = await person.signIn();
      assert.equal(next.body.recoveryCodeIssuedAt, undefined, 'told once');
    });

    test('staff created by an admin get a code and sign in; bearer tokens still work for machines', async () => {
      const created = await h.call('POST', '/v1/principals', {
        token: admin,
        body: { role: 'moderator', name: 'Mo' },
      });
      assert.equal(created.status, 201);
      assert.ok(created.body.activation.code);
      const mo = new Person(h);
      assert.equal((await mo.activate(created.body.activation.code)).status, 201);
      assert.equal((await mo.call('GET', '/v1/cases')).status, 200);
      assert.equal((await mo.call('GET', '/v1/principals')).status, 403);

      const world = await h.call('POST', '/v1/worlds', { token: admin, body: { id: 'signin-w', name: 'W' } });
      assert.equal(world.status, 201);
      const platform = await h.call('POST', '/v1/principals', {
        token: admin,
        body: { role: 'platform', world: 'signin-w' },
      });
      assert.equal(platform.body.activation, undefined, 'machines have no passkeys');
      assert.equal((await h.call('GET', '/v1/session', { token: platform.body.token })).status, 200);
    });
  },
  { now: clock.now },
);

forEachStore(
  'sessions behind TLS',
  (h) => {
    test('the cookie is Secure when the public URL is https, and the RP ID is its host', async () => {
      const registrar = await h.token({ role: 'registrar' });
      const subject = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      assert.equal(subject.body.activation.link.startsWith('https://id.example.org/activate?code='), true);
      const person = new Person(h, 'https://id.example.org');
      const reply = await person.activate(subject.body.activation.code);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      assert.match(String(reply.headers['set-cookie']), /; Secure$/);
    });
  },
  { config: { publicUrl: 'https://id.example.org' } },
);

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { commitsTo, entriesSince, logSize } from './_access.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { Person, pkce, rawBindingPolicyFile, redirectUriOf } from './_people.ts';
import { forEachStore, type Harness } from './_util.ts';

/** Tom signs in to the world through mdis, naming `avatar`: the world's redirect back. */
async function signInToWorld(person: Person, world: string, avatar: string) {
  const { challenge } = pkce();
  return person.signInToWorld({
    clientId: world,
    redirectUri: redirectUriOf(world),
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    extra: { avatar },
  });
}

/** An unlock with a fresh passkey assertion answering an unlock challenge. */
async function unlockWithPasskey(person: Person) {
  const options = await person.call('POST', '/v1/me/unlock/options');
  assert.equal(options.status, 200, JSON.stringify(options.body));
  const credential = person.authenticator.authenticate(options.body, person.origin);
  return person.call('POST', '/v1/me/unlock', { body: { credential } });
}

async function eligibility(h: Harness, token: string, subject: string) {
  const reply = await h.call('GET', `/v1/eligibility?subject=${subject}&action=travel.air`, { token });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

forEachStore(
  'the person locks the use of its identity',
  (h) => {
    let f: Awaited<ReturnType<typeof conductFixture>>;

    before(async () => {
      f = await conductFixture(h);
      await bindReporters(h, f.world, ['witness']);
      // A sanction, so that eligibility has something to answer about.
      const imposed = await h.call('POST', '/v1/sanctions', {
        token: f.moderator,
        body: { subject: f.tom, kind: 'restriction', actions: ['travel.air'], reason: 'Fare fraud' },
      });
      assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
    });

    test('a lock refuses world sign-in and new bindings; eligibility, reports and cases go on; a passkey unlocks', async () => {
      const eligibleBefore = await eligibility(h, f.airline, f.tom);
      assert.equal(eligibleBefore.allowed, false);
      const from = await logSize(h);
      const locked = await f.tomPerson.call('POST', '/v1/me/lock');
      assert.equal(locked.status, 200, JSON.stringify(locked.body));
      assert.match(locked.body.locked, /^\d{4}-\d\d-\d\dT/);
      assert.equal((await f.tomPerson.call('GET', '/v1/me')).body.locked, locked.body.locked);
      const [entry] = await entriesSince(h, from);
      assert.equal(entry.kind, 'identity.locked');
      assert.deepEqual(entry.refs, {}, 'the person only as a commitment');
      assert.ok(await commitsTo(h, entry, 'subject', f.tom));

      // The avatar bound before, under a grant given before: the world is still told access_denied.
      const known = await signInToWorld(f.tomPerson, f.world, 'tom');
      assert.equal(known.code, undefined);
      assert.equal(known.back?.searchParams.get('error'), 'access_denied');
      assert.match(String(known.back?.searchParams.get('error_description')), /locked/);
      assert.equal(known.details?.body.lockedSince, locked.body.locked, 'the consent page is told why');
      // A new avatar: not bound either.
      const fresh = await signInToWorld(f.tomPerson, f.world, 'tom2');
      assert.equal(fresh.back?.searchParams.get('error'), 'access_denied');
      const tom2 = await h.call('GET', `/v1/worlds/${f.world}/avatars/tom2`, { token: f.platform });
      assert.equal(tom2.status, 404);

      const before = await h.snapshot();
      const bound = await h.call('PUT', `/v1/worlds/${f.world}/avatars/tom3`, {
        token: f.platform,
        body: { subject: f.tom },
      });
      assert.equal(bound.status, 409, JSON.stringify(bound.body));
      assert.equal(bound.body.error, 'identity_locked');
      assert.equal(bound.body.lockedSince, locked.body.locked);
      const again = await f.tomPerson.call('POST', '/v1/me/lock');
      assert.equal(again.status, 409);
      assert.equal(again.body.error, 'identity_locked');
      assert.equal(await h.snapshot(), before, 'a refused binding or a second lock wrote');

      // Never hidden: the same eligibility answer, the existing binding's standing, a report opens a case.
      assert.deepEqual(await eligibility(h, f.airline, f.tom), eligibleBefore);
      const standing = await h.call('GET', `/v1/worlds/${f.world}/avatars/tom`, { token: f.platform });
      assert.equal(standing.status, 200);
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: report(f.world, 'witness'),
      });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      const opened = await h.call('GET', `/v1/cases/${filed.body.caseId}`, { token: f.moderator });
      assert.equal(opened.status, 200);
      assert.equal(opened.body.subject, f.tom);

      const unlockedAt = await logSize(h);
      const unlocked = await unlockWithPasskey(f.tomPerson);
      assert.equal(unlocked.status, 200, JSON.stringify(unlocked.body));
      assert.deepEqual(unlocked.body, { locked: null });
      assert.equal((await f.tomPerson.call('GET', '/v1/me')).body.locked, null);
      const [unlockEntry] = await entriesSince(h, unlockedAt);
      assert.equal(unlockEntry.kind, 'identity.unlocked');
      assert.deepEqual(unlockEntry.refs, {});
      assert.ok(await commitsTo(h, unlockEntry, 'subject', f.tom));
      const back = await signInToWorld(f.tomPerson, f.world, 'tom');
      assert.ok(back.code, 'signed in to the world again');
    });

    test('a bearer token locks but cannot unlock without a passkey; staff cannot lock anyone', async () => {
      const locked = await h.call('POST', '/v1/me/lock', { token: f.subject });
      assert.equal(locked.status, 200, JSON.stringify(locked.body));
      const before = await h.snapshot();
      for (const url of ['/v1/me/unlock/options', '/v1/me/unlock']) {
        const body = url.endsWith('options') ? undefined : { credential: fakeCredential };
        const refused = await h.call('POST', url, { token: f.subject, body });
        assert.equal(refused.status, 403, JSON.stringify(refused.body));
        assert.equal(refused.body.error, 'passkey_required');
      }
      for (const token of [f.admin, f.registrar, f.moderator, f.platform, f.airline]) {
        const refused = await h.call('POST', '/v1/me/lock', { token });
        assert.equal(refused.status, 403);
        assert.equal(refused.body.error, 'forbidden');
      }
      assert.equal((await h.call('POST', '/v1/me/lock')).status, 401);
      assert.equal(await h.snapshot(), before, 'a refused lock or unlock wrote');
      // The person, with its passkey, unlocks what its bearer token locked.
      assert.equal((await unlockWithPasskey(f.tomPerson)).status, 200);
    });

    test('unlock refuses a sign-in assertion, a replay, a forged write and an identity that is not locked', async () => {
      assert.equal((await f.tomPerson.call('POST', '/v1/me/lock')).status, 200);
      // An assertion answering a sign-in challenge is not an unlock.
      const { credential: signInAssertion } = await f.tomPerson.assertion();
      let before = await h.snapshot();
      const wrongPurpose = await f.tomPerson.call('POST', '/v1/me/unlock', {
        body: { credential: signInAssertion },
      });
      assert.equal(wrongPurpose.status, 401);
      assert.equal(wrongPurpose.body.error, 'passkey_refused');
      assert.equal(await h.snapshot(), before);

      const options = await f.tomPerson.call('POST', '/v1/me/unlock/options');
      const credential = f.tomPerson.authenticator.authenticate(options.body, f.tomPerson.origin);
      before = await h.snapshot();
      const forged = await f.tomPerson.call('POST', '/v1/me/unlock', { body: { credential }, csrf: false });
      assert.equal(forged.status, 403);
      assert.equal(forged.body.error, 'csrf_refused');
      assert.equal(await h.snapshot(), before);
      assert.equal((await f.tomPerson.call('POST', '/v1/me/unlock', { body: { credential } })).status, 200);

      before = await h.snapshot();
      const replayed = await f.tomPerson.call('POST', '/v1/me/unlock', { body: { credential } });
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.error, 'passkey_refused');
      assert.equal(await h.snapshot(), before);

      const fresh = await f.tomPerson.call('POST', '/v1/me/unlock/options');
      const answer = f.tomPerson.authenticator.authenticate(fresh.body, f.tomPerson.origin);
      before = await h.snapshot();
      const notLocked = await f.tomPerson.call('POST', '/v1/me/unlock', { body: { credential: answer } });
      assert.equal(notLocked.status, 409);
      assert.equal(notLocked.body.error, 'identity_not_locked');
      assert.equal(await h.snapshot(), before);
    });

    test('lost every passkey: a registrar’s recovery code gives a new passkey, and it unlocks', async () => {
      assert.equal((await f.tomPerson.call('POST', '/v1/me/lock')).status, 200);
      const issued = await h.call('POST', `/v1/subjects/${f.tom}/activation-code`, { token: f.registrar });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      const recovered = new Person(h);
      assert.equal((await recovered.activate(issued.body.code)).status, 201);
      assert.equal((await recovered.call('GET', '/v1/me')).body.locked !== null, true);
      const unlocked = await unlockWithPasskey(recovered);
      assert.equal(unlocked.status, 200, JSON.stringify(unlocked.body));
    });
  },
  { config: { policyFile: rawBindingPolicyFile() } },
);

/** Well-formed, so that the route's check, not the body's validation, answers. */
const fakeCredential = { id: 'x', rawId: 'x', type: 'public-key', response: {} };

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { sqliteFileName } from '../src/db/database.ts';
import { newDigitalId } from '../src/identity/digital-id.ts';
import { dumpPostgresSchema, forEachStore, organisationEnrolment, personEnrolment } from './_util.ts';

forEachStore(
  'identity registry',
  (h) => {
    let registrar: string;
    let admin: string;

    before(async () => {
      registrar = await h.token({ role: 'registrar' });
      admin = await h.token({ role: 'admin' });
    });

    test('enrols a person and reads the profile back decrypted', async () => {
      const body = personEnrolment();
      const created = await h.call('POST', '/v1/subjects', { token: registrar, body });
      assert.equal(created.status, 201);
      assert.match(created.body.id, /^MD[0-9A-Z]{21}$/);
      assert.equal(created.body.kind, 'person');
      assert.deepEqual(created.body.natural, body.natural);
      assert.deepEqual(created.body.social, body.social);
      assert.deepEqual(created.body.versions, { natural: 1, social: 1, signs: 1 });

      const read = await h.call('GET', `/v1/subjects/${created.body.id}?purpose=enrolment_check`, {
        token: admin,
      });
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.natural, body.natural);
      assert.deepEqual(read.body.signs, body.signs);
      assert.equal(read.body.history, undefined);
    });

    test('enrols organisations and agencies with their registration', async () => {
      for (const kind of ['organisation', 'agency']) {
        const created = await h.call('POST', '/v1/subjects', {
          token: registrar,
          body: organisationEnrolment({ kind }),
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.body.kind, kind);
        assert.deepEqual(created.body.social, {});
      }
    });

    test('the same identity document cannot be enrolled twice, however it is spaced or cased', async () => {
      const first = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      const document = { ...first.body.natural.document };
      const before = await h.snapshot();
      const again = personEnrolment();
      again.natural.document = {
        ...document,
        number: ` ${document.number.toLowerCase().replace('x', 'x-')}`,
      };
      again.natural.document.number = again.natural.document.number.trim();
      const duplicate = await h.call('POST', '/v1/subjects', { token: registrar, body: again });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.body.error, 'duplicate_identity');
      assert.equal(duplicate.body.existingId, first.body.id);
      assert.equal(await h.snapshot(), before);
    });

    test('given and family names are optional, kept as stated, changed and removed by PATCH', async () => {
      const base = personEnrolment();
      const body = { ...base, natural: { ...base.natural, givenName: 'Thomas', familyName: 'Example' } };
      const created = await h.call('POST', '/v1/subjects', { token: registrar, body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(created.body.natural, body.natural);
      const id = created.body.id;
      const patched = await h.call('PATCH', `/v1/subjects/${id}/attributes`, {
        token: registrar,
        body: { natural: { familyName: 'Exampleton', givenName: null } },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(patched.body.changed, ['natural']);
      const read = await h.call('GET', `/v1/subjects/${id}?purpose=correction`, { token: registrar });
      assert.equal(read.body.natural.familyName, 'Exampleton');
      assert.equal(read.body.natural.givenName, undefined);
      assert.equal(read.body.natural.legalName, 'Thomas Example');
    });

    test('a changed attribute adds a version and keeps the old one', async () => {
      const created = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      const id = created.body.id;
      const patched = await h.call('PATCH', `/v1/subjects/${id}/attributes`, {
        token: registrar,
        body: { social: { employer: 'Plaza Ventures Ltd', phone: null } },
      });
      assert.equal(patched.status, 200);
      assert.deepEqual(patched.body.versions, { natural: 1, social: 2, signs: 1 });
      assert.deepEqual(patched.body.changed, ['social']);
      // The answer holds no attribute: reading them back is a logged read.
      assert.equal(patched.body.social, undefined);
      const read = await h.call('GET', `/v1/subjects/${id}?purpose=correction`, { token: registrar });
      assert.equal(read.body.social.employer, 'Plaza Ventures Ltd');
      assert.equal(read.body.social.phone, undefined);
      assert.equal(read.body.social.email, 'tom@example.org');

      const unchanged = await h.call('PATCH', `/v1/subjects/${id}/attributes`, {
        token: registrar,
        body: { social: { employer: 'Plaza Ventures Ltd' } },
      });
      assert.deepEqual(unchanged.body.versions, { natural: 1, social: 2, signs: 1 });
      assert.deepEqual(unchanged.body.changed, []);
      assert.equal(unchanged.body.social, undefined);

      const history = await h.call('GET', `/v1/subjects/${id}?history=true&purpose=correction`, {
        token: registrar,
      });
      const social = history.body.history.filter((v: { group: string }) => v.group === 'social');
      assert.deepEqual(
        social.map((v: { version: number }) => v.version),
        [1, 2],
      );
      assert.equal(social[0].value.phone, '+447700900123');
      assert.equal(social[1].value.phone, undefined);
    });

    test('changing the identity document to one already enrolled is a duplicate', async () => {
      const a = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      const b = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      const before = await h.snapshot();
      const clash = await h.call('PATCH', `/v1/subjects/${b.body.id}/attributes`, {
        token: registrar,
        body: { natural: { document: a.body.natural.document } },
      });
      assert.equal(clash.status, 409);
      assert.equal(clash.body.existingId, a.body.id);
      assert.equal(await h.snapshot(), before);
    });

    test('a mistyped ID is malformed (400), a well-formed unknown one is 404', async () => {
      const created = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      const id: string = created.body.id;
      const typo = `${id.slice(0, 10)}${id[10] === 'A' ? 'B' : 'A'}${id.slice(11)}`;
      const malformed = await h.call('GET', `/v1/subjects/${typo}`, { token: admin });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error, 'malformed_id');
      const unknown = await h.call('GET', `/v1/subjects/${newDigitalId()}?purpose=support`, {
        token: admin,
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error, 'subject_not_found');
    });

    test('no personal data is stored in plaintext', async () => {
      const body = personEnrolment();
      body.natural.legalName = 'Zebediah Quillfeather';
      body.social.phone = '+447700900987';
      body.social.email = 'zebediah.quill@example.org';
      const created = await h.call('POST', '/v1/subjects', { token: registrar, body });
      assert.equal(created.status, 201);
      const needles = [
        body.natural.legalName,
        body.natural.document.number,
        body.social.phone,
        body.social.email,
        'Streamer',
        '1990-04-01',
      ];
      let haystack: string;
      if (h.store === 'sqlite') {
        h.ctx.store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
        const file = path.join(h.dataDir, sqliteFileName);
        haystack = [file, `${file}-wal`]
          .filter((f) => fs.existsSync(f))
          .map((f) => fs.readFileSync(f).toString('latin1'))
          .join('');
        assert.ok(haystack.length > 10_000, 'read the database file');
      } else {
        haystack = await dumpPostgresSchema(h.ctx.db);
        assert.ok(haystack.includes(created.body.id), 'read the tables');
      }
      for (const needle of needles) assert.ok(!haystack.includes(needle), `found "${needle}" in the store`);
    });

    test('logs hold no personal data', async () => {
      const body = personEnrolment();
      body.natural.legalName = 'Ottoline Marchbanks';
      const created = await h.call('POST', '/v1/subjects', { token: registrar, body });
      await h.call('GET', `/v1/subjects/${created.body.id}?purpose=support`, { token: admin });
      await h.call('POST', '/v1/subjects', {
        token: registrar,
        body: { ...body, natural: { ...body.natural, sex: 'Q' } },
      });
      const logs = h.logs.join('\n');
      assert.ok(logs.includes('/v1/subjects/:id'), 'requests are logged by route');
      for (const needle of [
        body.natural.legalName,
        body.natural.document.number,
        body.social.email,
        created.body.id,
      ]) {
        assert.ok(!logs.includes(needle), `found "${needle}" in the logs`);
      }
    });
  },
  // Every request logged, so that the test above sees what the log would hold of each.
  { config: { accessLog: { mode: 'all', sampleEvery: 1, slowMs: 1000 } } },
);

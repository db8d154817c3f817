import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { pino } from 'pino';
import { createContext } from '../src/context.ts';
import { ExportTooLargeError } from '../src/errors.ts';
import { toErrorResponse } from '../src/http/error-handler.ts';
import { openCheckpoint } from '../src/ledger/checkpoint.ts';
import { leafHash, verifyInclusion } from '../src/ledger/merkle.ts';
import { ExportService } from '../src/rights/export-service.ts';
import { accessFixture, days, entriesSince, logSize, MovableClock, warrant } from './_access.ts';
import { bindReporters, report } from './_fixtures.ts';
import { forEachStore, type Harness, personEnrolment } from './_util.ts';

// Issue 15 item 2: GET /v1/me/export, everything mdis holds about the person in one JSON bundle,
// signed by mdis (a compact JWS) so that anyone can check it came from mdis; verified here with
// jose against the key set fetched over HTTP from /.well-known/jwks.json, never the signing code.

const clock = new MovableClock();
const reporterHandle = 'gossip-hunter';
const reporterName = 'Gwendolyn Gossip';

/** Tom with a case (evidence), a decision, sanctions, an appeal, a disclosure past its gag, a staff read, checks. */
async function exportFixture(h: Harness) {
  const f = await accessFixture(h);
  // The reporter is a person of her own: nothing of her may reach Tom's export.
  const enrolled = await h.call('POST', '/v1/subjects', {
    token: f.registrar,
    body: personEnrolment({ natural: { ...personEnrolment().natural, legalName: reporterName } }),
  });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  const reporter: string = enrolled.body.id;
  await bindReporters(h, f.world, [reporterHandle], reporter);
  const reporterPseudonym = (await h.ctx.avatars.get(f.world, reporterHandle)).pseudonym;
  const filed = await h.call('POST', '/v1/reports', {
    token: f.platform,
    body: { ...report(f.world, reporterHandle), occurredAt: clock.in(-60_000) },
  });
  assert.equal(filed.status, 202, JSON.stringify(filed.body));
  const caseId: string = filed.body.caseId;
  const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
    token: f.moderator,
    body: {
      outcome: 'upheld',
      severity: 2,
      rationale: 'The posts are his and the claim is false',
      sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
    },
  });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  const direct = await h.call('POST', '/v1/sanctions', {
    token: f.moderator,
    body: { subject: f.tom, kind: 'warning', reason: 'Shouting in the square' },
  });
  assert.equal(direct.status, 201, JSON.stringify(direct.body));
  const appealed = await h.call('POST', '/v1/appeals', {
    token: f.subject,
    body: { target: { kind: 'case', id: caseId }, reason: 'The bank really was insolvent' },
  });
  assert.equal(appealed.status, 201, JSON.stringify(appealed.body));

  // A warrant, approved and read; told to Tom once its 14-day gag has passed.
  const asked = await h.call('POST', '/v1/disclosures', {
    token: f.authority,
    body: await f.withCase(warrant(clock)),
  });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  const disclosure: string = asked.body.id;
  const approved = await h.call('POST', `/v1/disclosures/${disclosure}/approve`, {
    token: f.oversight,
    body: { reason: 'Oversight: approve' },
  });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal((await h.call('GET', `/v1/disclosures/${disclosure}`, { token: f.authority })).status, 200);
  clock.advance(days(15));

  // A second request, still under its gag: nothing of it may reach Tom yet, not even its log entries.
  const gagged = await h.call('POST', '/v1/disclosures', {
    token: f.authority,
    body: await f.withCase(warrant(clock, { purpose: 'A second look' })),
  });
  assert.equal(gagged.status, 201, JSON.stringify(gagged.body));

  const read = await h.call('GET', `/v1/subjects/${f.tom}?purpose=support`, { token: f.registrar });
  assert.equal(read.status, 200);
  const air = await h.call('GET', `/v1/eligibility?subject=${f.tom}&action=travel.air`, { token: f.airline });
  assert.equal(air.status, 200);
  await h.ctx.checkCounts.flush();
  const direct_ = direct.body.id as string;
  return {
    ...f,
    caseId,
    disclosure,
    gagged: gagged.body.id as string,
    reporter,
    reporterPseudonym,
    direct: direct_,
  };
}

forEachStore(
  'the person’s export',
  (h) => {
    let f: Awaited<ReturnType<typeof exportFixture>>;
    let other: { id: string; token: string };
    const exportOf = (token: string) => h.call('GET', '/v1/me/export', { token });

    before(async () => {
      clock.reset();
      f = await exportFixture(h);
      const enrolled = await h.call('POST', '/v1/subjects', {
        token: f.registrar,
        body: personEnrolment({ natural: { ...personEnrolment().natural, legalName: 'Olivia Other' } }),
      });
      other = { id: enrolled.body.id, token: await h.token({ role: 'subject', subject: enrolled.body.id }) };
    });

    test('the bundle holds every part of Tom’s record, and the export is in the log', async () => {
      const proposed = await h.call('POST', '/v1/me/corrections', {
        token: f.subject,
        body: { field: 'social.employer', value: 'Example Works', reason: 'I changed jobs' },
      });
      assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
      const from = await logSize(h);
      const reply = await exportOf(f.subject);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.match(String(reply.headers['content-disposition']), /^attachment; filename="mdis-export-MD/);
      const b = reply.body.bundle;
      assert.equal(b.format, 'mdis-export/1');
      assert.equal(b.sub, f.tom);
      assert.equal(b.subject, f.tom);
      assert.ok(Date.parse(b.generatedAt) <= clock.now().getTime());
      assert.equal(b.iat, Math.floor(Date.parse(b.generatedAt) / 1000));

      // His corrections, credentials and the services that know him, as his own routes list them.
      assert.deepEqual(
        b.corrections.map((c: { id: string; value: unknown; status: string }) => [c.id, c.value, c.status]),
        [[proposed.body.id, 'Example Works', 'pending']],
      );
      const credentials = await h.call('GET', '/v1/me/credentials', { token: f.subject });
      assert.deepEqual(b.credentials, credentials.body.credentials);
      assert.deepEqual(b.services, []);

      // Profile and its history.
      assert.equal(b.profile.id, f.tom);
      assert.equal(b.profile.natural.legalName, 'Thomas Example');
      assert.deepEqual(b.profile.history.map((v: { group: string }) => v.group).sort(), [
        'natural',
        'signs',
        'social',
      ]);
      // Avatars with their worlds and pseudonyms.
      assert.deepEqual(
        b.avatars.map((a: Record<string, string>) => [a.world, a.worldName, a.handle]),
        [['plaza', 'plaza', 'tom']],
      );
      assert.equal(b.avatars[0].pseudonym, (await h.ctx.avatars.get('plaza', 'tom')).pseudonym);
      // Cases with their reports' evidence, and the decision.
      const mine = b.cases.find((c: { id: string }) => c.id === f.caseId);
      assert.ok(mine, 'the decided case is in the bundle');
      assert.deepEqual(mine.reports[0].evidence, [
        { sha256: 'b'.repeat(64), uri: 'https://evidence.example/plaza/123' },
      ]);
      assert.equal(mine.decision.outcome, 'upheld');
      assert.equal(mine.rationale, 'The posts are his and the claim is false');
      assert.equal(mine.appeal.status, 'pending');
      // Sanctions (the decision's and the direct one), strikes, appeals.
      assert.ok(b.sanctions.some((s: { caseId?: string }) => s.caseId === f.caseId));
      assert.ok(b.sanctions.some((s: { id: string }) => s.id === f.direct));
      assert.ok(b.strikes.active > 0);
      assert.equal(b.strikes.history[0].caseId, f.caseId);
      assert.deepEqual(
        b.appeals.map((a: { kind: string; target: string }) => [a.kind, a.target]),
        [['case', f.caseId]],
      );
      // Credit with its explanation and every change.
      assert.ok(b.credit.score < 1000);
      assert.ok(b.credit.explanation.contributions.some((c: { caseId?: string }) => c.caseId === f.caseId));
      const rows = await h.ctx.db
        .selectFrom('credit_history')
        .select('id')
        .where('subject_id', '=', f.tom)
        .execute();
      assert.equal(b.credit.history.length, rows.length);
      assert.equal(b.credit.history.at(-1).cause, 'enrolled');
      // The disclosure past its gag, with its appeal deadline; the staff read and the checks.
      assert.deepEqual(
        b.disclosures.map((d: { id: string; status: string }) => [d.id, d.status]),
        [[f.disclosure, 'granted']],
      );
      assert.equal(typeof b.disclosures[0].appealDeadline, 'string');
      assert.deepEqual(
        b.access.reads.map((r: { role: string; purpose: string }) => [r.role, r.purpose]),
        [['registrar', 'support']],
      );
      assert.deepEqual(
        b.access.checks.map((c: { action: string; count: number }) => [c.action, c.count]),
        [['travel.air', 1]],
      );
      // The log: a checkpoint signed by the log's key, as GET /v1/log/key publishes it.
      const key = (await h.call('GET', '/v1/log/key')).body.trim();
      assert.equal(b.log.verifierKey, key);
      const checkpoint = openCheckpoint(b.log.checkpoint, key);
      assert.ok(checkpoint.size >= from);

      // The log's entries about Tom, each with the openings of its commitments to him and its proof.
      const { items } = await h.ctx.ledger.openings.ofSubject(f.tom, { limit: 500 });
      // But for the entries of the request still under its gag.
      assert.ok(
        items.some((e) => e.entry.includes(f.gagged)),
        'the gagged request has entries about Tom',
      );
      const listedBefore = items.filter((e) => e.index < reply.body.logIndex && !e.entry.includes(f.gagged));
      assert.ok(!JSON.stringify(reply.body).includes(f.gagged), 'the gagged request is in the export');
      assert.deepEqual(
        b.log.entries.map(({ proof: _, ...e }: { proof: string[] }) => e),
        listedBefore,
      );
      assert.ok(b.log.entries.length >= 8, `${b.log.entries.length} entries about Tom`);
      assert.ok(b.log.entries.every((e: { index: number }) => e.index < checkpoint.size));

      // The same as what /v1/me answers, but for the score's history, which the export holds whole.
      const me = await h.call('GET', '/v1/me', { token: f.subject });
      for (const part of ['cases', 'sanctions', 'appeals', 'strikes'] as const) {
        assert.deepEqual(b[part], me.body[part], part);
      }

      // Logged, naming the digest of exactly what was signed.
      const entries = await entriesSince(h, from);
      const logged = entries.filter((e) => e.kind === 'export.downloaded');
      assert.equal(logged.length, 1);
      assert.equal(logged[0].idx, reply.body.logIndex);
      // The person through commitments only: the entry is public.
      assert.deepEqual(logged[0].refs, {
        bundle: createHash('sha256').update(reply.body.jws).digest('base64url'),
      });
      assert.deepEqual(Object.keys(logged[0].commitments).sort(), ['actor', 'subject']);
      assert.equal(logged[0].actor, 'subject');
      for (const value of [f.tom, 'Thomas']) assert.ok(!logged[0].text.includes(value), value);
      // Told to the person as every entry about it is: in GET /v1/me/log, and in its next export.
      const listed = await h.call('GET', '/v1/me/log?limit=500', { token: f.subject });
      assert.ok(listed.body.items.some((e: { index: number }) => e.index === reply.body.logIndex));
      const next = await exportOf(f.subject);
      assert.ok(next.body.bundle.log.entries.some((e: { index: number }) => e.index === reply.body.logIndex));
    });

    test('GET /v1/me/log holds back the entries of a request still under its gag, as the export does', async () => {
      const all = await h.ctx.ledger.openings.ofSubject(f.tom, { limit: 500 });
      assert.ok(
        all.items.some((e) => e.entry.includes(f.gagged)),
        'the gagged request has entries about Tom',
      );
      const shown = await h.call('GET', '/v1/me/log?limit=500', { token: f.subject });
      assert.equal(shown.status, 200);
      assert.ok(!JSON.stringify(shown.body).includes(f.gagged), 'the gagged request is shown to Tom');
      assert.ok(shown.body.items.some((e: { entry: string }) => e.entry.includes('"disclosure.requested"')));
      assert.deepEqual(
        shown.body.items.map((e: { index: number }) => e.index),
        all.items.filter((e) => !e.entry.includes(f.gagged)).map((e) => e.index),
      );
    });

    test('a third party checks an opening against the public entry, and the entry’s proof against the checkpoint', async () => {
      const reply = await exportOf(f.subject);
      assert.equal(reply.status, 200);
      const { log } = reply.body.bundle;
      // The staff read of Tom's profile: who (a registrar) is public, whom only Tom's opening says.
      const read = log.entries.find((e: { entry: string }) => JSON.parse(e.entry).kind === 'subject.read');
      assert.ok(read, 'the subject.read entry is in the bundle');
      const published = await h.call('GET', `/v1/log/entries?start=${read.index}&end=${read.index + 1}`);
      assert.equal(published.status, 200);
      assert.equal(published.body.entries[0].entry, read.entry, 'the bundle holds the entry as published');
      const entry = JSON.parse(published.body.entries[0].entry);
      const opening = read.openings.find((o: { ref: string }) => o.ref === 'subject');
      assert.equal(opening.value, f.tom);
      // SHA-256(salt ‖ canonical JSON of {ref, value}): computed here, not by mdis's code.
      const commitment = (value: string) =>
        createHash('sha256')
          .update(Buffer.from(opening.salt, 'base64url'))
          .update(JSON.stringify({ ref: 'subject', value }))
          .digest('base64url');
      assert.equal(commitment(opening.value), entry.commitments.subject);
      assert.notEqual(commitment(other.id), entry.commitments.subject, 'the opening names Tom only');

      // The proof: the leaf up to the root of the checkpoint, whose signature is the log's.
      const key = (await h.call('GET', '/v1/log/key')).body.trim();
      const checkpoint = openCheckpoint(log.checkpoint, key);
      const leaf = leafHash(Buffer.from(read.entry));
      const proof = read.proof.map((hash: string) => Buffer.from(hash, 'base64'));
      assert.ok(verifyInclusion(leaf, read.index, checkpoint.size, proof, checkpoint.root));
      // The same proof for another leaf, or a changed entry, does not lead to the root.
      const changed = leafHash(Buffer.from(read.entry.replace('"support"', '"audit"')));
      assert.equal(verifyInclusion(changed, read.index, checkpoint.size, proof, checkpoint.root), false);
      // And the server's own proof of that entry in that tree is the same.
      const served = await h.call(
        'GET',
        `/v1/log/proof/inclusion?index=${read.index}&size=${checkpoint.size}`,
      );
      assert.deepEqual(served.body.hashes, read.proof);
    });

    test('no reporter identity anywhere: not her handle, digital ID, pseudonym or name', async () => {
      const reply = await exportOf(f.subject);
      assert.equal(reply.status, 200);
      const text = JSON.stringify(reply.body);
      assert.ok(text.includes('https://evidence.example/plaza/123'), 'the evidence is there');
      for (const value of [reporterHandle, f.reporter, f.reporterPseudonym, reporterName]) {
        assert.ok(!text.includes(value), `the export holds "${value}"`);
      }
      // Nor in the signed payload, which is what a verifier reads.
      const payload = Buffer.from(reply.body.jws.split('.')[1], 'base64url').toString('utf8');
      for (const value of [reporterHandle, f.reporter, f.reporterPseudonym, reporterName]) {
        assert.ok(!payload.includes(value), `the signed payload holds "${value}"`);
      }
    });

    test('the JWS verifies with jose against the key set fetched over HTTP, and not once a byte changes', async () => {
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const address = h.app.server.address();
      assert.ok(address !== null && typeof address === 'object');
      const base = `http://127.0.0.1:${address.port}`;
      const answer = await fetch(`${base}/v1/me/export`, {
        headers: { authorization: `Bearer ${f.subject}` },
      });
      assert.equal(answer.status, 200);
      const { bundle, jws } = (await answer.json()) as { bundle: Record<string, unknown>; jws: string };
      const published = await fetch(`${base}/.well-known/jwks.json`);
      assert.equal(published.status, 200);
      const jwks = (await published.json()) as { keys: { kid: string; kty: string; crv: string }[] };
      const header = decodeProtectedHeader(jws);
      assert.deepEqual(header, { alg: 'EdDSA', kid: 'mdis-export-1', typ: 'mdis-export+jwt' });
      const key = jwks.keys.find((k) => k.kid === header.kid);
      assert.deepEqual([key?.kty, key?.crv], ['OKP', 'Ed25519']);
      assert.equal(JSON.stringify(jwks).includes('"d"'), false, 'no private part is published');

      const keySet = createLocalJWKSet(jwks);
      const verified = await jwtVerify(jws, keySet, {
        issuer: String(bundle.iss),
        subject: f.tom,
        typ: 'mdis-export+jwt',
        algorithms: ['EdDSA'],
      });
      // The bundle to read is the payload signed, exactly.
      assert.deepEqual(verified.payload, bundle);
      assert.equal(verified.payload.sub, f.tom);

      // One byte of the payload changed: the name's first letter.
      const [head, body, signature] = jws.split('.') as [string, string, string];
      const bytes = Buffer.from(body, 'base64url');
      const at = bytes.indexOf('Thomas Example');
      assert.ok(at > 0);
      bytes[at] = 'U'.charCodeAt(0);
      const forged = `${head}.${bytes.toString('base64url')}.${signature}`;
      await assert.rejects(jwtVerify(forged, keySet), errors.JWSSignatureVerificationFailed);
      // And a signature of another key of the same kind, under the same kid, is refused too.
      const otherKeys = createLocalJWKSet({
        keys: [{ ...key!, x: Buffer.alloc(32, 7).toString('base64url') }],
      });
      await assert.rejects(jwtVerify(jws, otherKeys), errors.JWSSignatureVerificationFailed);
    });

    test('another subject’s token gets its own bundle, with nothing of Tom’s', async () => {
      const reply = await exportOf(other.token);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.bundle.sub, other.id);
      assert.equal(reply.body.bundle.profile.natural.legalName, 'Olivia Other');
      assert.deepEqual(
        [reply.body.bundle.cases, reply.body.bundle.sanctions, reply.body.bundle.avatars],
        [[], [], []],
      );
      const text = JSON.stringify(reply.body);
      for (const value of [f.tom, 'Thomas Example', f.caseId, f.disclosure, f.direct]) {
        assert.ok(!text.includes(value), `another's export holds "${value}"`);
      }
      // No parameter chooses whose export it is.
      const before = await h.snapshot();
      const named = await h.call('GET', `/v1/me/export?subject=${f.tom}`, { token: other.token });
      assert.equal(named.status, 400, JSON.stringify(named.body));
      assert.equal(await h.snapshot(), before);
    });

    test('the export key is sealed by the keyring, and another instance on the store signs with it', async () => {
      const rows = await h.ctx.db.selectFrom('signing_keys').selectAll().execute();
      assert.deepEqual(
        rows.map((r) => [r.kid, r.purpose, r.retired_at]),
        [['mdis-export-1', 'export', null]],
      );
      const { privateKey } = await h.ctx.exportKeys.active();
      const d = String(privateKey.export({ format: 'jwk' }).d);
      const sealed = Buffer.from(rows[0]!.sealed_jwk);
      for (const form of [sealed.toString('utf8'), sealed.toString('base64'), sealed.toString('base64url')]) {
        assert.ok(!form.includes(d), 'the private key is in the store in the clear');
      }
      // Sealed for its purpose and kid: it does not open as another purpose's key.
      assert.throws(() => h.ctx.keyring.openSecret('signing key|credential|mdis-export-1', sealed));
      const second = await createContext(h.ctx.config, { logger: pino({ level: 'silent' }) });
      try {
        assert.deepEqual(await second.exportKeys.published(), await h.ctx.exportKeys.published());
        assert.equal((await second.db.selectFrom('signing_keys').select('kid').execute()).length, 1);
      } finally {
        await second.close();
      }
    });

    test('a list longer than one bundle may carry is a 413 naming it, and nothing is logged', async () => {
      const small = new ExportService({
        ...h.ctx,
        keys: h.ctx.exportKeys,
        issuer: () => 'http://localhost:7070',
        maxRows: 2,
      });
      const size = await logSize(h);
      const principal = (await h.ctx.principals.authenticate(f.subject))!;
      await assert.rejects(small.export(principal), (error: unknown) => {
        assert.ok(error instanceof ExportTooLargeError);
        const { status, body } = toErrorResponse(error);
        assert.deepEqual([status, body.error, body.max], [413, 'export_too_large', 2]);
        // The lists are read side by side: whichever of Tom's long ones is found first.
        assert.ok(['credit history', 'log entries'].includes(String(body.list)), String(body.list));
        return true;
      });
      assert.equal(await logSize(h), size);
    });
  },
  { now: clock.now, config: { exportRateLimit: { perSecond: 1, burst: 100 } } },
);

const frozen = new MovableClock({ frozen: true });

forEachStore(
  'the export’s rate limit (the default: 3 at once, 6 an hour, per person)',
  (h) => {
    test('a fourth export at once is a 429 with its wait and writes nothing; another person is not held up', async () => {
      frozen.reset();
      const registrar = await h.token({ role: 'registrar' });
      const people: string[] = [];
      const tokens: string[] = [];
      for (let i = 0; i < 2; i++) {
        const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
        people.push(enrolled.body.id);
        // Two tokens for the first person: the limit is the person's, not the token's.
        tokens.push(await h.token({ role: 'subject', subject: enrolled.body.id }));
      }
      const second = await h.token({ role: 'subject', subject: people[0]! });
      for (const token of [tokens[0]!, second, tokens[0]!]) {
        assert.equal((await h.call('GET', '/v1/me/export', { token })).status, 200);
      }
      const before = await h.snapshot();
      const refused = await h.call('GET', '/v1/me/export', { token: second });
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.equal(refused.body.error, 'rate_limited');
      assert.equal(refused.headers['retry-after'], '600');
      assert.equal(await h.snapshot(), before);
      assert.equal((await h.call('GET', '/v1/me/export', { token: tokens[1]! })).status, 200);
      // Ten minutes on, one more.
      frozen.advance(600_000);
      assert.equal((await h.call('GET', '/v1/me/export', { token: tokens[0]! })).status, 200);
      assert.equal((await h.call('GET', '/v1/me/export', { token: tokens[0]! })).status, 429);
    });
  },
  { now: frozen.now },
);

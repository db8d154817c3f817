import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Enrolment } from '../src/identity/attributes.ts';
import { mdis, root } from './_cli.ts';
import { forEachStore, type Harness, personEnrolment, postgresUrl } from './_util.ts';

// Issue 17, the rough edges of the API: the policy in force for clients to build their lists, and
// the log's key served as `mdis log key` prints it.

function cli(h: Harness, args: string[]) {
  return mdis([...args, '--data', h.dataDir], {
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    ...(h.store === 'postgres' ? { MDIS_DATABASE_URL: postgresUrl!, MDIS_DATABASE_SCHEMA: h.schema! } : {}),
  });
}

const defaultPolicy = JSON.parse(fs.readFileSync(path.join(root, 'policy', 'default.json'), 'utf8'));

forEachStore('GET /v1/policy and GET /v1/log/key', (h) => {
  let subject: string;
  before(async () => {
    subject = await h.token({ role: 'authority', jurisdiction: 'GB' });
  });

  test('GET /v1/policy is public and serves every category with its label and the name to send', async () => {
    const anonymous = await h.call('GET', '/v1/policy');
    assert.equal(anonymous.status, 200);
    const withToken = await h.call('GET', '/v1/policy', { token: subject });
    assert.deepEqual(withToken.body, anonymous.body, 'the same to anyone');
    const policy = anonymous.body;
    assert.equal(policy.digest, h.ctx.policy.digest);
    assert.deepEqual(
      policy.categories.map((c: { name: string }) => c.name),
      Object.keys(defaultPolicy.categories),
    );
    const rumors = policy.categories.find((c: { name: string }) => c.name === 'spreading_rumors');
    assert.equal(rumors.label, 'Spreading rumors');
    assert.equal(rumors.maxSeverity, defaultPolicy.categories.spreading_rumors.maxSeverity);
    assert.deepEqual(rumors.disclosure.legalBases, ['warrant', 'court_order']);
    assert.deepEqual(
      policy.actions.map((a: { name: string }) => a.name),
      Object.keys(defaultPolicy.actions),
    );
    assert.equal(policy.actions.find((a: { name: string }) => a.name === 'travel.air').label, 'Travel: air');
    assert.deepEqual(
      policy.sanctionKinds.map((k: { name: string; points: number }) => [k.name, k.points]),
      Object.entries(defaultPolicy.credit.sanctionPoints),
    );
    assert.deepEqual(
      policy.grades.map((g: { grade: string }) => g.grade),
      defaultPolicy.credit.grades.map((g: { grade: string }) => g.grade),
    );
    assert.equal(policy.scores.bandWidth, defaultPolicy.credit.bandWidth);
    assert.deepEqual(
      policy.legalBases.map((b: { name: string; label: string }) => [b.name, b.label]),
      [
        ['warrant', 'Warrant'],
        ['court_order', 'Court order'],
        ['statute', 'Statute'],
        ['emergency', 'Emergency'],
      ],
    );
    assert.deepEqual(
      policy.readPurposes.map((p: { name: string }) => p.name),
      [...h.ctx.policy.readPurposes],
    );
  });

  test('the OpenAPI document describes GET /v1/policy with its schema', async () => {
    const doc = (await h.call('GET', '/openapi.json')).body;
    const get = doc.paths['/v1/policy'].get;
    assert.match(get.description, /Public/);
    const schema = get.responses['200'].content['application/json'].schema;
    for (const field of ['categories', 'actions', 'sanctionKinds', 'grades', 'legalBases', 'readPurposes'])
      assert.ok(schema.properties[field] !== undefined, field);
  });

  test('GET /v1/log/key answers one line of text, the same bytes as mdis log key prints', async () => {
    const served = await h.call('GET', '/v1/log/key');
    assert.equal(served.status, 200);
    assert.match(String(served.headers['content-type']), /^text\/plain/);
    assert.match(served.body, /^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+\n$/);
    const printed = await cli(h, ['log', 'key']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, served.body);
    // And mdis log verify takes either as its --key (once a checkpoint is signed).
    await h.ctx.ledger.checkpoint();
    const verified = await cli(h, ['log', 'verify', '--key', served.body.trim()]);
    assert.equal(verified.code, 0, `${verified.stdout}${verified.stderr}`);
    assert.match(verified.stdout, /^ok: /);
    // The OpenAPI document says it is text, so that generated clients do not parse it as JSON.
    const doc = (await h.call('GET', '/openapi.json')).body;
    for (const path of ['/v1/log/key', '/v1/log/checkpoint']) {
      assert.deepEqual(Object.keys(doc.paths[path].get.responses['200'].content), [
        'text/plain; charset=utf-8',
      ]);
    }
  });

  test('GET /v1/principals/names names staff and machines, never a subject principal', async () => {
    const moderator = await h.ctx.principals.create({ role: 'moderator', name: 'Mo Derator' });
    const officer = await h.ctx.principals.create({
      role: 'authority',
      name: 'DC Holmes',
      jurisdiction: 'GB',
      organisation: 'Met Police',
    });
    const enrolled = await h.ctx.subjects.enrol(personEnrolment() as Enrolment, 'test');
    const person = await h.ctx.principals.create({ role: 'subject', name: 'Tom', subject: enrolled.id });
    const ids = [moderator.principal.id, officer.principal.id, person.principal.id, 'prn_nobody'];
    const reply = await h.call('GET', `/v1/principals/names?ids=${ids.join(',')}`, { token: subject });
    assert.equal(reply.status, 200);
    assert.deepEqual(
      reply.body.items.map((p: { id: string; name: string; organisation?: string }) => [
        p.id,
        p.name,
        p.organisation,
      ]),
      [
        [moderator.principal.id, 'Mo Derator', undefined],
        [officer.principal.id, 'DC Holmes', 'Met Police'],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    const bad = await h.call('GET', '/v1/principals/names?ids=prn_a,,b', { token: subject });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'invalid_request');
    assert.match(bad.body.message, /ids/);
  });
});

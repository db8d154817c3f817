import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalJson } from '../util/canonical-json.ts';
import { commitment, committingProblem, isCommitment, opensEntry } from './commitments.ts';
import { conceal } from './conceal.ts';

const salt = Buffer.alloc(16, 7);

test('a commitment is base64url SHA-256 of the salt then the canonical {ref, value}', () => {
  const expected = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from('{"ref":"subject","value":"MD123"}')]))
    .digest('base64url');
  assert.equal(commitment({ ref: 'subject', value: 'MD123', salt }), expected);
  assert.ok(isCommitment(expected));
  // The ref is bound: the same value and salt under another ref commit to something else.
  assert.notEqual(commitment({ ref: 'pseudonym', value: 'MD123', salt }), expected);
});

test('an opening opens its entry, and nothing else does', () => {
  const entry = canonicalJson({
    v: 2,
    commitments: { subject: commitment({ ref: 'subject', value: 'MD1', salt }) },
  });
  assert.equal(opensEntry(entry, { ref: 'subject', value: 'MD1', salt }), true);
  assert.equal(opensEntry(entry, { ref: 'subject', value: 'MD2', salt }), false);
  assert.equal(opensEntry(entry, { ref: 'subject', value: 'MD1', salt: Buffer.alloc(16) }), false);
  assert.equal(opensEntry(entry, { ref: 'handle', value: 'MD1', salt }), false);
  assert.equal(opensEntry('not json', { ref: 'subject', value: 'MD1', salt }), false);
});

test('a format 2 entry may not name a person in its refs, and its commitments have their form', () => {
  assert.equal(
    committingProblem({ refs: { case: 'case_1' }, commitments: { subject: 'a'.repeat(43) } }),
    undefined,
  );
  assert.match(committingProblem({ refs: { handle: 'tom' } })!, /refs\.handle/);
  assert.match(committingProblem({ refs: {}, commitments: { subject: 'MD123' } })!, /commitments\.subject/);
});

test('conceal commits to people, a person’s own principal and actor, and leaves staff and ids alone', async () => {
  const owners: Record<string, string> = { prn_tom: 'MDTOM' };
  const subjectOf = async (id: string) => owners[id] ?? null;
  const own = await conceal(
    { actor: 'prn_tom', refs: { subject: 'MDTOM', pseudonym: 'psn', world: 'plaza', principal: 'prn_tom' } },
    subjectOf,
  );
  assert.equal(own.actor, 'subject');
  assert.deepEqual(own.refs, { world: 'plaza' });
  assert.deepEqual(Object.keys(own.commitments!).sort(), ['actor', 'principal', 'pseudonym', 'subject']);
  for (const o of own.openings) {
    assert.equal(o.subject, 'MDTOM');
    assert.equal(own.commitments![o.ref], commitment(o));
  }
  const staff = await conceal(
    { actor: 'prn_mod', refs: { case: 'case_1', subject: null, principal: 'prn_mod' } },
    subjectOf,
  );
  assert.equal(staff.actor, 'prn_mod');
  assert.deepEqual(staff.refs, { case: 'case_1', principal: 'prn_mod' });
  // A disclosure of an avatar that does not exist still carries a commitment: to no one.
  assert.deepEqual(
    staff.openings.map((o) => [o.ref, o.value, o.subject]),
    [['subject', null, null]],
  );
  const none = await conceal({ actor: 'system', refs: { version: 2 } }, subjectOf);
  assert.equal(none.commitments, undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../errors.ts';
import { loadPolicy } from '../policy/load.ts';
import { assessRequest, DisclosureRefusedError } from './disclosure-policy.ts';

const policy = loadPolicy();
const now = new Date('2026-11-22T12:00:00.000Z');
const inAMonth = '2026-12-22T12:00:00.000Z';
const ask = (overrides: Partial<Parameters<typeof assessRequest>[1]> = {}) => ({
  offence: 'spreading_rumors',
  scope: ['natural'] as const,
  basisKind: 'warrant' as const,
  basisExpiresAt: inAMonth,
  ...overrides,
});

test('a warrant for rumours waits for oversight; the subject is told after 14 days', () => {
  assert.deepEqual(assessRequest(policy, ask(), now), {
    grant: 'oversight',
    gagUntil: '2026-12-06T12:00:00.000Z',
    reviewDueAt: undefined,
  });
});

test('an emergency is granted at once and must be reviewed within the policy’s hours', () => {
  const assessed = assessRequest(policy, ask({ offence: 'harassment', basisKind: 'emergency' }), now);
  assert.equal(assessed.grant, 'emergency');
  assert.equal(assessed.reviewDueAt, '2026-11-25T12:00:00.000Z');
  // The default's 30-day gag, within the 30-day appeal window (issue 14).
  assert.equal(assessed.gagUntil, '2026-12-22T12:00:00.000Z');
});

test('each refusal has its reason, checked in the order the policy reads', () => {
  const refusals: [Parameters<typeof assessRequest>[1], string][] = [
    [ask({ offence: 'spam' }), 'offence_not_disclosable'],
    [ask({ offence: 'honest_trade' }), 'offence_not_disclosable'],
    [ask({ basisKind: 'emergency' }), 'legal_basis_insufficient'],
    [ask({ basisKind: 'statute', scope: ['signs'] }), 'legal_basis_insufficient'],
    [ask({ scope: ['natural', 'signs'] }), 'scope_beyond_policy'],
    [ask({ scope: ['signs'], basisExpiresAt: now.toISOString() }), 'scope_beyond_policy'],
    [ask({ basisExpiresAt: now.toISOString() }), 'legal_basis_expired'],
  ];
  for (const [request, reason] of refusals) {
    assert.throws(
      () => assessRequest(policy, request, now),
      (error: unknown) => error instanceof DisclosureRefusedError && error.details.reason === reason,
      reason,
    );
  }
});

test('an offence the policy does not know is bad input, not a refusal', () => {
  assert.throws(
    () => assessRequest(policy, ask({ offence: 'jaywalking' }), now),
    (error: unknown) => error instanceof ValidationError && error.details.field === 'offence',
  );
});

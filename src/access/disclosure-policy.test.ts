import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaseRequiredError, ValidationError } from '../errors.ts';
import { loadPolicy } from '../policy/load.ts';
import { parsePolicy } from '../policy/policy.ts';
import { assessRequest, DisclosureRefusedError } from './disclosure-policy.ts';

const policy = loadPolicy();
const now = new Date('2026-11-22T12:00:00.000Z');
const inAMonth = '2026-12-22T12:00:00.000Z';
const ask = (overrides: Partial<Parameters<typeof assessRequest>[1]> = {}) => ({
  offence: 'spreading_rumors',
  scope: ['natural'] as const,
  basisKind: 'warrant' as const,
  basisExpiresAt: inAMonth,
  withCase: true,
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

test('a category that requires a case: none named is an incomplete request, even in an emergency', () => {
  for (const request of [
    ask({ withCase: false }),
    ask({ offence: 'harassment', basisKind: 'emergency', withCase: false }),
  ]) {
    assert.throws(
      () => assessRequest(policy, request, now),
      (error: unknown) => error instanceof CaseRequiredError && error.code === 'case_required',
    );
  }
  // The policy's refusals come first: they are logged, an incomplete request is not.
  assert.throws(
    () => assessRequest(policy, ask({ offence: 'spam', withCase: false }), now),
    (error: unknown) => error instanceof DisclosureRefusedError,
  );
});

test('where no case is required (fraud): without one only a warrant or court order, and oversight decides', () => {
  const fraud = (basisKind: 'warrant' | 'court_order' | 'emergency', withCase: boolean) =>
    ask({ offence: 'fraud', scope: ['natural'], basisKind, withCase });
  assert.equal(assessRequest(policy, fraud('warrant', false), now).grant, 'oversight');
  assert.equal(assessRequest(policy, fraud('court_order', false), now).grant, 'oversight');
  assert.throws(
    () => assessRequest(policy, fraud('emergency', false), now),
    (error: unknown) =>
      error instanceof DisclosureRefusedError &&
      error.details.reason === 'legal_basis_insufficient' &&
      /without a case/.test(error.message),
  );
  // With a case, the category's own rule: an emergency is granted at once.
  assert.equal(assessRequest(policy, fraud('emergency', true), now).grant, 'emergency');
});

test('without a case oversight decides even where the category needs none', () => {
  const document = structuredClone(policy.document);
  document.categories.fraud!.disclosure = {
    allowed: true,
    legalBases: ['warrant'],
    oversight: 'not_required',
    gagDays: 0,
    scope: ['natural'],
    requiresCase: false,
  };
  const lenient = parsePolicy(document);
  const request = ask({ offence: 'fraud', scope: ['natural'], basisKind: 'warrant' });
  assert.equal(assessRequest(lenient, request, now).grant, 'oversight_not_required');
  assert.equal(assessRequest(lenient, { ...request, withCase: false }, now).grant, 'oversight');
});

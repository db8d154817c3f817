import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { ValidationError } from '../errors.ts';
import { defaultPolicyFile } from './load.ts';
import { parsePolicy } from './policy.ts';
import { labelOf, policyView } from './view.ts';

const shipped = () => JSON.parse(fs.readFileSync(defaultPolicyFile, 'utf8'));

test('a name in words: snake_case and dotted action names', () => {
  assert.equal(labelOf('spreading_rumors'), 'Spreading rumors');
  assert.equal(labelOf('court_order'), 'Court order');
  assert.equal(labelOf('travel.air'), 'Travel: air');
});

test('a category’s own label wins over its name in words; an empty one is refused, naming it', () => {
  const document = shipped();
  document.categories.spreading_rumors.label = 'Rumour-mongering';
  const view = policyView(parsePolicy(document));
  assert.equal(view.categories.find((c) => c.name === 'spreading_rumors')?.label, 'Rumour-mongering');
  assert.equal(view.categories.find((c) => c.name === 'fraud')?.label, 'Fraud');
  document.categories.fraud.label = '';
  assert.throws(
    () => parsePolicy(document),
    (error: unknown) =>
      error instanceof ValidationError && error.message.startsWith('categories.fraud.label'),
  );
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { defaultPolicyFile } from './load.ts';
import { parsePolicy } from './policy.ts';

const shipped = () => JSON.parse(fs.readFileSync(defaultPolicyFile, 'utf8'));

test('the shipped policy is valid and has the categories and actions the issue names', () => {
  const policy = parsePolicy(shipped());
  for (const name of [
    'harassment',
    'fraud',
    'identity_theft',
    'spreading_rumors',
    'disruption',
    'hate_speech',
  ]) {
    assert.equal(policy.category(name)?.polarity, 'negative', name);
  }
  for (const name of ['cheating', 'spam']) assert.equal(policy.category(name)?.polarity, 'negative', name);
  for (const name of ['volunteering', 'helping_others', 'honest_trade']) {
    assert.equal(policy.category(name)?.polarity, 'positive', name);
  }
  for (const action of [
    'world.enter',
    'world.chat',
    'world.trade',
    'commerce.purchase',
    'travel.air',
    'travel.rail',
  ]) {
    assert.ok(policy.isAction(action), action);
  }
  assert.ok(policy.isAction('finance.credit'));
  assert.equal(policy.category('toString'), undefined, 'inherited names are not categories');
});

test('the ladder step crossed is the highest one reached, once', () => {
  const policy = parsePolicy(shipped());
  assert.deepEqual(policy.ladderStepCrossed(0, 1), { atStrikes: 1, sanction: 'suspension', days: 1 });
  assert.deepEqual(policy.ladderStepCrossed(1, 4), { atStrikes: 4, sanction: 'suspension', days: 7 });
  assert.equal(policy.ladderStepCrossed(5, 7), undefined);
  assert.deepEqual(policy.ladderStepCrossed(6, 20), { atStrikes: 8, sanction: 'ban' });
});

test('errors name the bad key', () => {
  const cases: [string, (p: ReturnType<typeof shipped>) => void, RegExp][] = [
    ['unknown top-level key', (p) => Object.assign(p, { colour: 'red' }), /^colour: /],
    ['bad category name', (p) => Object.assign(p.categories, { 'Bad Name': p.categories.spam }), /Bad Name/],
    [
      'polarity',
      (p) => Object.assign(p.categories.spam, { polarity: 'neutral' }),
      /^categories\.spam\.polarity/,
    ],
    ['missing severity', (p) => delete p.strikes.perSeverity['5'], /^strikes\.perSeverity\.5: is missing/],
    [
      'ladder order',
      (p) => Object.assign(p.strikes.ladder[2], { atStrikes: 1 }),
      /^strikes\.ladder\.2\.atStrikes/,
    ],
    ['suspension days', (p) => delete p.strikes.ladder[0].days, /^strikes\.ladder\.0\.days/],
    ['ban with days', (p) => Object.assign(p.strikes.ladder[5], { days: 3 }), /^strikes\.ladder\.5\.days/],
    [
      'denied by',
      (p) => p.actions['travel.air'].deniedBy.push('warning'),
      /^actions\.travel\.air\.deniedBy\.0/,
    ],
    ['appeal window', (p) => Object.assign(p.appeals, { windowDays: 0 }), /^appeals\.windowDays/],
  ];
  for (const [name, mutate, expected] of cases) {
    const document = shipped();
    mutate(document);
    assert.throws(
      () => parsePolicy(document),
      (error: Error) => expected.test(error.message),
      name,
    );
  }
});

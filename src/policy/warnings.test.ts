import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { defaultPolicyFile } from './load.ts';
import type { PolicyDocument } from './policy.ts';
import { policyWarnings } from './warnings.ts';

// One test per rule of issue 14, part 5, each on the shipped policy changed in one place. The
// shipped policy itself warns twice: its ladder bans after one decision at severity 5, and services
// may still check some actions by digital ID (issue 16); the other tests start with that list empty.
const file = (): PolicyDocument => JSON.parse(fs.readFileSync(defaultPolicyFile, 'utf8')) as PolicyDocument;
const shipped = (): PolicyDocument => ({ ...file(), eligibility: { digitalIdChecks: [] } });
const keys = (document: PolicyDocument) => policyWarnings(document).map((w) => w.key);
const ladderBan = 'strikes.ladder.5.atStrikes';
const digitalIdChecks = 'eligibility.digitalIdChecks';

test('the shipped policy: its ladder and the digital-ID checks it still allows', () => {
  assert.deepEqual(keys(file()), [ladderBan, digitalIdChecks]);
  assert.match(policyWarnings(file())[1]!.message, /check travel\.\*, finance\.\*, world\.\* by digital ID/);
});

test('services checking by digital ID: listed actions, or every action when the policy says nothing', () => {
  const p = shipped();
  assert.deepEqual(keys(p), [ladderBan]);
  p.eligibility = { digitalIdChecks: ['travel.air'] };
  assert.deepEqual(keys(p), [ladderBan, digitalIdChecks]);
  delete p.eligibility;
  assert.deepEqual(keys(p), [ladderBan, digitalIdChecks]);
  assert.match(policyWarnings(p)[1]!.message, /check \* by digital ID: services that do can link a person/);
});

test('statute or emergency without oversight', () => {
  const p = shipped();
  p.categories.fraud!.disclosure = {
    allowed: true,
    legalBases: ['statute'],
    oversight: 'not_required',
    gagDays: 10,
    scope: ['natural'],
  };
  assert.deepEqual(keys(p), ['categories.fraud.disclosure.oversight', ladderBan]);
  assert.match(policyWarnings(p)[0]!.message, /statute disclose without oversight/);
});

test('a gag longer than the appeal window', () => {
  const p = shipped();
  p.categories.harassment!.disclosure.gagDays = 31;
  assert.deepEqual(keys(p), ['categories.harassment.disclosure.gagDays', ladderBan]);
  p.categories.harassment!.disclosure.gagDays = 30;
  assert.deepEqual(keys(p), [ladderBan]);
});

test('grades above the lowest denying an action outside the worlds; world actions are not counted', () => {
  const p = shipped();
  p.actions['travel.air']!.deniedAtGrades = ['C', 'D'];
  p.actions['world.enter']!.deniedAtGrades = ['C'];
  assert.deepEqual(keys(p), ['actions.travel.air.deniedAtGrades', ladderBan]);
  assert.match(policyWarnings(p)[0]!.message, /above D \(C\)/);
});

test('speech that may lead to an emergency disclosure; other conduct may', () => {
  const p = shipped();
  p.categories.hate_speech!.disclosure.legalBases = ['warrant', 'emergency'];
  assert.deepEqual(keys(p), ['categories.hate_speech.disclosure.legalBases', ladderBan]);
  const fraud = shipped();
  assert.ok(fraud.categories.fraud!.disclosure.legalBases?.includes('emergency'));
  assert.deepEqual(keys(fraud), [ladderBan]);
});

test('speech that may lead to disclosure without a case; other conduct may', () => {
  const p = shipped();
  p.categories.spreading_rumors!.disclosure.requiresCase = false;
  assert.deepEqual(keys(p), ['categories.spreading_rumors.disclosure.requiresCase', ladderBan]);
  assert.match(policyWarnings(p)[0]!.message, /no case in any world/);
  assert.equal(shipped().categories.fraud!.disclosure.requiresCase, false);
});

test('a ladder that bans after fewer than three decisions', () => {
  const p = shipped();
  // 8 strikes at most per decision: a ban at 24 takes three, at 23 still three, at 16 two.
  p.strikes.ladder.at(-1)!.atStrikes = 24;
  assert.deepEqual(keys(p), []);
  p.strikes.ladder.at(-1)!.atStrikes = 16;
  assert.deepEqual(keys(p), [ladderBan]);
  assert.match(policyWarnings(p)[0]!.message, /follows 2 upheld decision/);
  p.strikes.ladder = p.strikes.ladder.filter((step) => step.sanction !== 'ban');
  assert.deepEqual(keys(p), []);
});

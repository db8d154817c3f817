import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { defaultPolicyFile } from './load.ts';
import type { PolicyDocument } from './policy.ts';
import { policyWarnings } from './warnings.ts';

// One test per rule of issue 14, part 5, each on the shipped policy changed in one place. The
// shipped policy itself warns of nothing: a ban takes three decisions at severity 5 (15 strikes,
// 5 a decision).
const shipped = (): PolicyDocument =>
  JSON.parse(fs.readFileSync(defaultPolicyFile, 'utf8')) as PolicyDocument;
const keys = (document: PolicyDocument) => policyWarnings(document).map((w) => w.key);
const ladderBan = 'strikes.ladder.6.atStrikes';

test('the shipped policy warns of nothing', () => {
  assert.deepEqual(keys(shipped()), []);
});

test('services checking by digital ID: every action when the policy says nothing or "*", not named ones', () => {
  const p = shipped();
  assert.deepEqual(p.eligibility?.digitalIdChecks, ['travel.*', 'finance.*', 'world.*']);
  p.eligibility = { digitalIdChecks: ['travel.air'] };
  assert.deepEqual(keys(p), []);
  p.eligibility = { digitalIdChecks: ['travel.air', '*'] };
  assert.deepEqual(keys(p), ['eligibility.digitalIdChecks']);
  delete p.eligibility;
  assert.deepEqual(keys(p), ['eligibility.digitalIdChecks']);
  assert.match(
    policyWarnings(p)[0]!.message,
    /every action by digital ID: services that do can link a person/,
  );
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
  assert.deepEqual(keys(p), ['categories.fraud.disclosure.oversight']);
  assert.match(policyWarnings(p)[0]!.message, /statute disclose without oversight/);
});

test('a gag longer than the appeal window', () => {
  const p = shipped();
  p.categories.harassment!.disclosure.gagDays = 31;
  assert.deepEqual(keys(p), ['categories.harassment.disclosure.gagDays']);
  p.categories.harassment!.disclosure.gagDays = 30;
  assert.deepEqual(keys(p), []);
});

test('grades above the lowest denying an action outside the worlds; world actions are not counted', () => {
  const p = shipped();
  p.actions['travel.air']!.deniedAtGrades = ['C', 'D'];
  p.actions['world.enter']!.deniedAtGrades = ['C'];
  assert.deepEqual(keys(p), ['actions.travel.air.deniedAtGrades']);
  assert.match(policyWarnings(p)[0]!.message, /above D \(C\)/);
});

test('speech that may lead to an emergency disclosure; other conduct may', () => {
  const p = shipped();
  p.categories.hate_speech!.disclosure.legalBases = ['warrant', 'emergency'];
  assert.deepEqual(keys(p), ['categories.hate_speech.disclosure.legalBases']);
  const fraud = shipped();
  assert.ok(fraud.categories.fraud!.disclosure.legalBases?.includes('emergency'));
  assert.deepEqual(keys(fraud), []);
});

test('speech that may lead to disclosure without a case; other conduct may', () => {
  const p = shipped();
  p.categories.spreading_rumors!.disclosure.requiresCase = false;
  assert.deepEqual(keys(p), ['categories.spreading_rumors.disclosure.requiresCase']);
  assert.match(policyWarnings(p)[0]!.message, /no case in any world/);
  assert.equal(shipped().categories.fraud!.disclosure.requiresCase, false);
});

test('a ladder that bans after fewer than three decisions', () => {
  const p = shipped();
  // 5 strikes at most per decision: a ban at 15 takes three, at 11 still three, at 10 two.
  p.strikes.ladder.at(-1)!.atStrikes = 11;
  assert.deepEqual(keys(p), []);
  p.strikes.ladder.at(-2)!.atStrikes = 9;
  p.strikes.ladder.at(-1)!.atStrikes = 10;
  assert.deepEqual(keys(p), [ladderBan]);
  assert.match(policyWarnings(p)[0]!.message, /follows 2 upheld decision/);
  p.strikes.ladder = p.strikes.ladder.filter((step) => step.sanction !== 'ban');
  assert.deepEqual(keys(p), []);
});

test('negative events counted directly; speech among them warns twice', () => {
  const p = shipped();
  p.categories.fraud!.negativeEvents = 'direct';
  p.categories.spreading_rumors!.negativeEvents = 'direct';
  p.categories.spam!.negativeEvents = 'report';
  assert.deepEqual(keys(p), [
    'categories.fraud.negativeEvents',
    'categories.spreading_rumors.negativeEvents',
    'categories.spreading_rumors.speech',
  ]);
  assert.match(policyWarnings(p)[2]!.message, /speech counts against the score on a world’s word alone/);
});

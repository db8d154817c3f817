import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newDigitalId } from '../identity/digital-id.ts';
import { loadPolicy } from '../policy/load.ts';
import { dayMs as day } from '../util/time.ts';
import { EligibilityIndex, type IndexedSanction } from './eligibility-index.ts';

const index = () => new EligibilityIndex(loadPolicy().document.actions);
const tom = newDigitalId();
const sanction = (s: Partial<IndexedSanction> & Pick<IndexedSanction, 'id' | 'kind'>): IndexedSanction => ({
  world: null,
  actions: null,
  startsAt: 0,
  endsAt: null,
  ...s,
});

test('an unknown subject is undefined, a known one without sanctions eligible', () => {
  const i = index();
  assert.equal(i.check(tom, 'travel.air', undefined, 0), undefined);
  i.addSubject(tom);
  assert.deepEqual(i.check(tom, 'travel.air', undefined, 0), {
    allowed: true,
    reason: 'eligible',
    sanctionIds: [],
  });
});

test('a restriction denies exactly the actions it names', () => {
  const i = index();
  i.setSanctions(tom, [sanction({ id: 's1', kind: 'restriction', actions: ['travel.air'] })]);
  assert.deepEqual(i.check(tom, 'travel.air', undefined, 1), {
    allowed: false,
    reason: 'restricted',
    sanctionIds: ['s1'],
  });
  assert.equal(i.check(tom, 'travel.rail', undefined, 1)?.allowed, true);
});

test('a suspension holds in its own world only; a ban in every world but not outside them', () => {
  const i = index();
  i.setSanctions(tom, [sanction({ id: 's1', kind: 'suspension', world: 'plaza' })]);
  assert.equal(i.check(tom, 'world.enter', 'plaza', 1)?.reason, 'suspended');
  assert.equal(i.check(tom, 'world.enter', 'arena', 1)?.allowed, true);
  i.setSanctions(tom, [
    sanction({ id: 'b', kind: 'ban' }),
    sanction({ id: 'm', kind: 'mute', world: 'arena' }),
  ]);
  assert.deepEqual(i.check(tom, 'world.chat', 'arena', 1), {
    allowed: false,
    reason: 'banned',
    sanctionIds: ['b', 'm'],
  });
  assert.equal(i.check(tom, 'travel.air', undefined, 1)?.allowed, true);
});

test('a mute denies chat but not entry; a warning denies nothing', () => {
  const i = index();
  i.setSanctions(tom, [
    sanction({ id: 'm', kind: 'mute', world: 'plaza' }),
    sanction({ id: 'w', kind: 'warning' }),
  ]);
  assert.equal(i.check(tom, 'world.chat', 'plaza', 1)?.reason, 'muted');
  assert.equal(i.check(tom, 'world.enter', 'plaza', 1)?.allowed, true);
});

test('a sanction holds from its start until (not including) its end', () => {
  const i = index();
  i.setSanctions(tom, [
    sanction({ id: 's', kind: 'restriction', actions: ['finance.credit'], startsAt: day, endsAt: 2 * day }),
  ]);
  assert.equal(i.check(tom, 'finance.credit', undefined, day - 1)?.allowed, true);
  assert.equal(i.check(tom, 'finance.credit', undefined, day)?.allowed, false);
  assert.equal(i.check(tom, 'finance.credit', undefined, 2 * day)?.allowed, true);
});

test('clearing a subject’s sanctions makes it eligible and keeps it known', () => {
  const i = index();
  i.setSanctions(tom, [sanction({ id: 'b', kind: 'ban' })]);
  i.setSanctions(tom, []);
  assert.equal(i.check(tom, 'world.enter', 'plaza', 1)?.allowed, true);
  assert.equal(i.size, 1);
});

test('a grade the policy denies an action at denies it, after any sanction that also denies', () => {
  const i = index();
  i.addSubject(tom);
  i.setGrade(tom, 'D');
  assert.deepEqual(i.check(tom, 'travel.air', undefined, 1), {
    allowed: false,
    reason: 'grade',
    sanctionIds: [],
  });
  assert.equal(i.check(tom, 'travel.rail', undefined, 1)?.allowed, true);
  i.setSanctions(tom, [sanction({ id: 'r', kind: 'restriction', actions: ['travel.air'] })]);
  assert.equal(i.check(tom, 'travel.air', undefined, 1)?.reason, 'restricted');
  i.setSanctions(tom, []);
  i.setGrade(tom, 'C');
  assert.equal(i.check(tom, 'travel.air', undefined, 1)?.allowed, true);
});

test('actions outside the worlds read the grade without directly counted points; world actions the grade', () => {
  const actions = loadPolicy().document.actions;
  actions['world.trade']!.deniedAtGrades = ['D'];
  const i = new EligibilityIndex(actions);
  i.setGrade(tom, 'D', 'C');
  assert.equal(i.check(tom, 'travel.air', undefined, 0)?.allowed, true);
  assert.deepEqual(i.check(tom, 'world.trade', 'plaza', 0), {
    allowed: false,
    reason: 'grade',
    sanctionIds: [],
  });
  // Reviewed conduct alone at D: denied outside too.
  i.setGrade(tom, 'D', 'D');
  assert.equal(i.check(tom, 'travel.air', undefined, 0)?.reason, 'grade');
  // Without a second grade, both read the one grade; clearing it clears both.
  i.setGrade(tom, 'D');
  assert.equal(i.check(tom, 'finance.credit', undefined, 0)?.reason, 'grade');
  i.setGrade(tom, 'B');
  assert.equal(i.check(tom, 'world.trade', 'plaza', 0)?.allowed, true);
  assert.equal(i.check(tom, 'travel.air', undefined, 0)?.allowed, true);
});

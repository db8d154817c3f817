import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachStore, personEnrolment } from './_util.ts';

// An enrolment is checked whole: one 400 names every field's problem, so that a registrar
// corrects the form once, and the first stays in `field` for clients that read one.

/** A person enrolment with `natural` changed: a key set to undefined is left out. */
function person(changes: Record<string, unknown>) {
  const body = personEnrolment();
  const natural = Object.fromEntries(
    Object.entries({ ...body.natural, ...changes }).filter(([, value]) => value !== undefined),
  );
  return { ...body, natural };
}

const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;

forEachStore('enrolment names every field at once', (h) => {
  let registrar: string;
  before(async () => {
    registrar = await h.token({ role: 'registrar' });
  });

  test('sex missing, an impossible birth date and a nationality in words: one 400 names all three', async () => {
    const before = await h.snapshot();
    const body = person({ sex: undefined, birthDate: '1990-13-45', nationality: 'England' });
    const reply = await h.call('POST', '/v1/subjects', { token: registrar, body });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_request');
    const fields = (reply.body.fields as { field: string; message: string }[]).map((f) => f.field);
    assert.deepEqual(fields.toSorted(), ['natural.birthDate', 'natural.nationality', 'natural.sex']);
    // The first problem is the one an old client reads.
    assert.equal(reply.body.field, fields[0]);
    assert.equal(reply.body.message, reply.body.fields[0].message);
    assert.equal(
      reply.body.fields.find((f: { field: string }) => f.field === 'natural.sex').message,
      'natural.sex: is required',
    );
    assert.equal(await h.snapshot(), before, 'a refused enrolment wrote to the store');
  });

  test('the date rules join the schema’s: a birth date in the future beside a missing document', async () => {
    const before = await h.snapshot();
    const body = person({ birthDate: nextYear, document: undefined });
    const reply = await h.call('POST', '/v1/subjects', { token: registrar, body });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.fields, [
      { field: 'natural.document', message: 'natural.document: is required' },
      { field: 'natural.birthDate', message: 'natural.birthDate: is in the future' },
    ]);
    assert.equal(await h.snapshot(), before, 'a refused enrolment wrote to the store');
  });

  test('one problem is a list of one, and a good enrolment is still enrolled', async () => {
    const bad = await h.call('POST', '/v1/subjects', {
      token: registrar,
      body: person({ birthDate: '1899-12-31' }),
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'natural.birthDate');
    assert.deepEqual(bad.body.fields, [
      { field: 'natural.birthDate', message: 'natural.birthDate: is before 1900' },
    ]);
    const good = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
    assert.equal(good.status, 201);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../console/src/api.ts';
import {
  controlFor,
  fieldLabel,
  refusalAt,
  refusalsAt,
} from '../console/src/screens/registrar/attribute-labels.ts';
import { enrolmentBody } from '../console/src/screens/registrar/enrol-fields.ts';

// The registrar's enrolment form without a browser: what it sends, and which control a refusal lands on.

const paths = ['natural.legalName', 'natural.document.type', 'natural.document.number', 'social.accounts'];

test('a refusal lands on its control, the control holding it, or the first inside it', () => {
  assert.equal(controlFor('natural.legalName', paths), 'natural.legalName');
  assert.equal(controlFor('social.accounts.1.handle', paths), 'social.accounts');
  assert.equal(controlFor('natural.document', paths), 'natural.document.type');
  assert.equal(controlFor('natural.birthDate', paths), undefined);
  assert.equal(controlFor(undefined, paths), undefined);
});

test('the sentence at the field names it in words, without the API’s path or schema wording', () => {
  const refused = (field: string, message: string) =>
    refusalAt(new ApiError({ status: 400, code: 'invalid_request', message, field }), paths);
  assert.deepEqual(
    refused('social.accounts.0.network', 'social.accounts.0.network: is not in the expected format'),
    {
      path: 'social.accounts',
      message: 'Network is not in the expected format.',
    },
  );
  assert.equal(
    refused('natural.legalName', 'natural.legalName: is required')?.message,
    'Legal name is required.',
  );
  assert.equal(
    refusalAt(
      new ApiError({ status: 409, code: 'duplicate_identity', message: 'x', field: 'natural.legalName' }),
      paths,
    ),
    undefined,
    'only a 400 is a field’s refusal',
  );
  assert.equal(fieldLabel('natural.document.issuingCountry'), 'Issuing country');
});

test('a 400 that lists every field’s problem lands each on its control, in the form’s order', () => {
  const fields = [
    { field: 'social.accounts.0.handle', message: 'social.accounts.0.handle: is not in the expected format' },
    { field: 'natural.document', message: 'natural.document: is required' },
    { field: 'natural.document.number', message: 'natural.document.number: is required' },
    { field: 'natural.legalName', message: 'natural.legalName: is required' },
  ];
  const error = new ApiError({
    status: 400,
    code: 'invalid_request',
    message: fields[0]!.message,
    field: fields[0]!.field,
    details: { fields },
  });
  assert.deepEqual(refusalsAt(error, paths), [
    { path: 'natural.legalName', message: 'Legal name is required.' },
    { path: 'natural.document.type', message: 'Identity document is required.' },
    { path: 'natural.document.number', message: 'Document number is required.' },
    { path: 'social.accounts', message: 'Handle is not in the expected format.' },
  ]);
  // An answer without the list (an older server) still lands its one field.
  const one = new ApiError({
    status: 400,
    code: 'invalid_request',
    message: fields[3]!.message,
    field: fields[3]!.field,
  });
  assert.deepEqual(refusalsAt(one, paths), [
    { path: 'natural.legalName', message: 'Legal name is required.' },
  ]);
});

test('the body holds the filled fields only, lists split into lines and codes in upper case', () => {
  const body = enrolmentBody('person', {
    'natural.legalName': '  Amina Okafor ',
    'natural.givenName': '   ',
    'natural.nationality': 'ng',
    'natural.document.type': 'passport',
    'natural.document.issuingCountry': 'ng',
    'social.accounts': 'mastodon @amina@example.social\n\n  matrix   @amina:example.org  ',
    'signs.deviceIds': 'dev:1\ndev:2',
    'natural.registrationNumber': 'not a person’s field',
  });
  assert.deepEqual(body, {
    kind: 'person',
    natural: {
      legalName: 'Amina Okafor',
      nationality: 'NG',
      document: { type: 'passport', issuingCountry: 'NG' },
    },
    social: {
      accounts: [
        { network: 'mastodon', handle: '@amina@example.social' },
        { network: 'matrix', handle: '@amina:example.org' },
      ],
    },
    signs: { deviceIds: ['dev:1', 'dev:2'] },
  });
  assert.deepEqual(enrolmentBody('organisation', {}), { kind: 'organisation', natural: {} });
});

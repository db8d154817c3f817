import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../console/src/api.ts';
import { controlFor, fieldLabel, refusalAt } from '../console/src/screens/registrar/attribute-labels.ts';
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

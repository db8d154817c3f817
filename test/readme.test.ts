import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { forEachStore } from './_util.ts';

// The README's roles table against the routes themselves, read from the OpenAPI document the
// server serves: what it says admin may and may not read is what the routes allow.

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The README's word for a kind of record, and the GET route that reads it. */
const reads: Record<string, string> = {
  subjects: '/v1/subjects/{id}',
  avatars: '/v1/worlds/{world}/avatars/{handle}',
  cases: '/v1/cases/{id}',
  sanctions: '/v1/sanctions',
  credit: '/v1/subjects/{id}/credit',
  'webhook subscriptions': '/v1/worlds/{world}/subscriptions',
  disclosures: '/v1/disclosures/{id}',
  "log's openings": '/v1/log/openings',
};

forEachStore('the README', (h) => {
  test('its roles table says what admin may read, as the routes allow', async () => {
    const row = readme.split('\n').find((line) => line.startsWith('| admin |'));
    assert.ok(row, 'the roles table has an admin row');
    const may = row.split('|')[3]!;
    assert.doesNotMatch(may, /everything/, 'admin does not read everything');
    const [allowed = '', refused = ''] = may.split(/;\s*not /);
    const { body: openapi } = await h.call('GET', '/openapi.json');
    const adminReads = (route: string) => {
      const description = String(openapi.paths[route]?.get?.description ?? '');
      assert.match(description, /Roles: /, `GET ${route} names its roles`);
      return /Roles: [^.]*\badmin\b/.test(description);
    };
    for (const [word, route] of Object.entries(reads)) {
      if (allowed.includes(word)) assert.ok(adminReads(route), `the README says admin reads ${word}`);
      else if (refused.includes(word))
        assert.ok(!adminReads(route), `the README says admin cannot read ${word}`);
      else assert.fail(`the admin row says nothing of ${word}`);
    }
  });
});

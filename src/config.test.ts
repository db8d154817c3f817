import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, logOriginOf } from './config.ts';

// C2SP tlog-checkpoint: the origin is a schema-less URL (no spaces, no '+'), e.g. example.com/log.
test('the log origin defaults to the public URL’s host and path with /log', () => {
  assert.equal(logOriginOf('https://mdis.example.org'), 'mdis.example.org/log');
  assert.equal(logOriginOf('https://example.org/mdis/'), 'example.org/mdis/log');
  assert.equal(logOriginOf('https://example.org:8443/a+b'), 'example.org:8443/a%2Bb/log');
  assert.equal(logOriginOf(undefined), 'localhost/log');

  const fromUrl = loadConfig({}, { MDIS_PUBLIC_URL: 'https://registry.example.org/' });
  assert.deepEqual([fromUrl.logOrigin, fromUrl.logOriginGiven], ['registry.example.org/log', false]);
  const given = loadConfig(
    {},
    { MDIS_PUBLIC_URL: 'https://registry.example.org', MDIS_LOG_ORIGIN: 'a.example/l' },
  );
  assert.deepEqual([given.logOrigin, given.logOriginGiven], ['a.example/l', true]);
  assert.deepEqual(
    [loadConfig({}, {}).logOrigin, loadConfig({}, {}).logOriginGiven],
    ['localhost/log', false],
  );
});

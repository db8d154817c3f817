import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildJwks, type PublicJwk } from './jwks.ts';

const key = (kid: string, x = kid): PublicJwk => ({
  kty: 'OKP',
  crv: 'Ed25519',
  x,
  kid,
  alg: 'EdDSA',
  use: 'sig',
});
const source = (...keys: PublicJwk[]) => ({ published: async () => keys });

test('the key set holds every source’s keys in order, a kid published twice once', async () => {
  const set = await buildJwks([
    source(key('mdis-export-1')),
    source(key('mdis-credential-1'), key('mdis-export-1', 'other')),
  ]);
  assert.deepEqual(
    set.keys.map((k) => [k.kid, k.x]),
    [
      ['mdis-export-1', 'mdis-export-1'],
      ['mdis-credential-1', 'mdis-credential-1'],
    ],
  );
  assert.deepEqual(await buildJwks([]), { keys: [] });
});

import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { rawPublicKey } from './checkpoint.ts';
import { cosignatureTime, cosignCheckpoint, cosignerVerifierKey, parseCosigner } from './cosignature.ts';

const body = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

test('a cosignature is laid out as C2SP tlog-cosignature says (key id, big-endian time, Ed25519)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  const line = cosignCheckpoint(body, 'witness.example/w1', privateKey, 1679315147);
  const [, name, blobText] = /^\u2014 (\S+) (\S+)\n$/.exec(line) ?? [];
  assert.equal(name, 'witness.example/w1');
  const blob = Buffer.from(blobText!, 'base64');
  assert.equal(blob.length, 4 + 8 + 64);
  // SHA-256(name ‖ "\n" ‖ 0x04 ‖ key)[:4], computed here without the module.
  const id = createHash('sha256').update(
    Buffer.concat([Buffer.from('witness.example/w1\n'), Buffer.of(4), raw]),
  );
  assert.deepEqual(blob.subarray(0, 4), id.digest().subarray(0, 4));
  assert.equal(blob.readBigUInt64BE(4), 1679315147n);
  const message = Buffer.from(`cosignature/v1\ntime 1679315147\n${body}`);
  assert.ok(verify(null, message, publicKey, blob.subarray(12)));

  const key = cosignerVerifierKey('witness.example/w1', createPublicKey(privateKey));
  assert.equal(key.split('+')[1], blob.subarray(0, 4).toString('hex'));
  assert.equal(cosignatureTime(body, [line.trim()], parseCosigner(key)), 1679315147);
});

test('a cosignature does not verify on another checkpoint, under another key or another name', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const line = cosignCheckpoint(body, 'witness.example/w1', privateKey, 1).trim();
  const key = cosignerVerifierKey('witness.example/w1', createPublicKey(privateKey));
  assert.equal(cosignatureTime(body.replace('20852163', '20852164'), [line], parseCosigner(key)), undefined);
  const other = cosignerVerifierKey('witness.example/w1', generateKeyPairSync('ed25519').publicKey);
  assert.equal(cosignatureTime(body, [line], parseCosigner(other)), undefined);
  const renamed = cosignerVerifierKey('witness.example/w2', createPublicKey(privateKey));
  assert.equal(cosignatureTime(body, [line], parseCosigner(renamed)), undefined);
  // A log's checkpoint key (type 0x01) is not a witness key, and a key id must match its key.
  assert.throws(() => parseCosigner(key.replace(/\+B/, '+A')), /not a witness verifier key/);
  assert.throws(() => parseCosigner(key.replace(/\+[0-9a-f]{8}\+/, '+00000000+')), /key id/);
});

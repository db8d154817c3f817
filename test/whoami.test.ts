import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type Role, roles } from '../src/principals/roles.ts';
import { forEachStore, personEnrolment } from './_util.ts';

forEachStore('GET /v1/whoami', (h) => {
  const tokens: Partial<Record<Role, string>> = {};
  let subject: string;
  const scopes = (): Record<string, object> => ({
    platform: { world: 'plaza' },
    service: { actions: ['travel.air', 'finance.credit'] },
    authority: { jurisdiction: 'GB' },
    subject: { subject },
  });

  before(async () => {
    const admin = await h.token({ role: 'admin' });
    await h.call('POST', '/v1/worlds', { token: admin, body: { id: 'plaza', name: 'Plaza' } });
    const registrar = await h.token({ role: 'registrar' });
    subject = (await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() })).body.id;
    for (const role of roles) {
      tokens[role] = await h.token({ role, name: `the ${role}`, ...scopes()[role] });
    }
  });

  for (const role of roles) {
    test(`${role}: learns its id, role, name and scope, and nothing is written`, async () => {
      const before = await h.snapshot();
      const { status, body } = await h.call('GET', '/v1/whoami', { token: tokens[role] });
      assert.equal(status, 200);
      assert.match(body.id, /^prn_/);
      assert.deepEqual(
        { ...body, id: undefined },
        { id: undefined, role, name: `the ${role}`, ...scopes()[role] },
      );
      assert.equal(await h.snapshot(), before);
    });
  }

  test('no token, an unknown one or a revoked one is 401 in the error shape', async () => {
    const revoked = await h.ctx.principals.create({ role: 'auditor' });
    await h.ctx.principals.revoke(revoked.principal.id);
    for (const token of [undefined, 'mdis_unknown', revoked.token]) {
      const { status, body } = await h.call('GET', '/v1/whoami', { token });
      assert.equal(status, 401);
      assert.equal(body.error, 'unauthenticated');
    }
  });

  test('it is documented in /openapi.json with the bearer scheme', async () => {
    const { body } = await h.call('GET', '/openapi.json');
    assert.deepEqual(body.paths['/v1/whoami'].get.security, [{ bearer: [] }]);
  });
});

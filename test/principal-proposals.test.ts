import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ensureFirstAdmin } from '../src/principals/first-admin.ts';
import { days, entriesSince, logSize, MovableClock } from './_access.ts';
import { mdis } from './_cli.ts';
import { forEachStore, type Harness, postgresUrl } from './_util.ts';

const clock = new MovableClock();

type Entry = { kind: string; actor: string; refs: Record<string, unknown> };

// Issue 13, item 3: two admins for the powers that oversee. Through the API, creating or revoking
// an admin, oversight or auditor principal is a proposal one admin makes and another decides; the
// operator's machine (the CLI) is a break-glass path, marked as such in the log.
forEachStore(
  'two admins for the powers that oversee',
  (h) => {
    let first: { id: string; token: string };
    let second: { id: string; token: string };
    let third: { id: string; token: string };
    const admin = async (name: string) => {
      const made = await h.ctx.principals.create({ role: 'admin', name });
      return { id: made.principal.id, token: made.token };
    };
    const propose = (body: Record<string, unknown>, token = first.token) =>
      h.call('POST', '/v1/principals', { token, body });
    const approve = (id: string, token: string) =>
      h.call('POST', `/v1/principal-proposals/${id}/approve`, { token });
    const refuse = (id: string, token: string) =>
      h.call('POST', `/v1/principal-proposals/${id}/refuse`, { token });
    const entriesFrom = async (from: number) => (await entriesSince(h, from)) as Entry[];

    before(async () => {
      clock.reset();
      first = await admin('First admin');
    });

    test('while one admin exists, a proposal answers 409 second_admin_required and writes nothing', async () => {
      const before = await h.snapshot();
      const alone = await propose({ role: 'oversight', name: 'Court' });
      assert.deepEqual(
        [alone.status, alone.body.error],
        [409, 'second_admin_required'],
        JSON.stringify(alone.body),
      );
      assert.match(alone.body.message, /mdis admin principal create --role admin/);
      const revoke = await h.call('POST', `/v1/principals/${first.id}/revoke`, { token: first.token });
      assert.equal(revoke.body.error, 'second_admin_required');
      assert.equal(await h.snapshot(), before);
      second = await admin('Second admin');
      third = await admin('Third admin');
    });

    test('an auditor: proposed (202), refused to its proposer (403), approved by another admin', async () => {
      const from = await logSize(h);
      const proposed = await propose({ role: 'auditor', name: 'Log auditor' });
      assert.equal(proposed.status, 202, JSON.stringify(proposed.body));
      const { proposal } = proposed.body;
      assert.match(proposal.id, /^ppr_[0-9a-z]{16}$/);
      assert.deepEqual(
        [proposal.change, proposal.role, proposal.status, proposal.name, proposal.proposedBy],
        ['create', 'auditor', 'pending', 'Log auditor', first.id],
      );
      assert.equal(Date.parse(proposal.expiresAt) - Date.parse(proposal.proposedAt), days(7));
      assert.equal('token' in proposed.body, false, 'no token before the approval');
      const listed = await h.call('GET', '/v1/principals?limit=500', { token: first.token });
      assert.ok(
        !listed.body.items.some((p: { name: string }) => p.name === 'Log auditor'),
        'not created yet',
      );

      const before = await h.snapshot();
      const own = await approve(proposal.id, first.token);
      assert.deepEqual([own.status, own.body.error], [403, 'own_proposal']);
      assert.deepEqual(Object.keys(own.body).sort(), ['error', 'message']);
      assert.equal((await refuse(proposal.id, first.token)).body.error, 'own_proposal');
      assert.equal(await h.snapshot(), before, 'a self-approval wrote');

      const approved = await approve(proposal.id, second.token);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.deepEqual(
        [approved.body.proposal.status, approved.body.proposal.decidedBy, approved.body.principal.role],
        ['approved', second.id, 'auditor'],
      );
      assert.equal(approved.body.proposal.principal, approved.body.principal.id);
      // A person: the approver is given the token and the activation code, once.
      assert.match(approved.body.activation.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
      assert.match(approved.body.activation.link, /\/activate\?code=/);
      const whoami = await h.call('GET', '/v1/whoami', { token: approved.body.token });
      assert.deepEqual([whoami.status, whoami.body.role, whoami.body.name], [200, 'auditor', 'Log auditor']);
      const again = await approve(proposal.id, third.token);
      assert.deepEqual([again.status, again.body.error], [409, 'proposal_closed']);

      const entries = await entriesFrom(from);
      assert.deepEqual(
        entries.map((e) => e.kind),
        ['principal.proposed', 'principal.created', 'principal.approved'],
      );
      const [proposedEntry, created, approvedEntry] = entries;
      assert.equal(proposedEntry!.actor, first.id);
      assert.deepEqual(proposedEntry!.refs, {
        proposal: proposal.id,
        role: 'auditor',
        change: 'create',
        principal: null,
      });
      assert.equal(created!.actor, second.id);
      assert.equal(created!.refs.proposal, proposal.id);
      assert.equal(created!.refs.breakGlass, undefined, 'an approved change is no break-glass');
      assert.equal(approvedEntry!.actor, second.id);
      assert.deepEqual(approvedEntry!.refs, {
        proposal: proposal.id,
        role: 'auditor',
        change: 'create',
        principal: approved.body.principal.id,
      });
    });

    test('refused: nothing is created, and the refusal is logged', async () => {
      const proposed = await propose({ role: 'oversight', name: 'Refused court' });
      assert.equal(proposed.status, 202);
      const id = proposed.body.proposal.id;
      const from = await logSize(h);
      const refused = await refuse(id, second.token);
      assert.equal(refused.status, 200, JSON.stringify(refused.body));
      assert.deepEqual([refused.body.status, refused.body.decidedBy], ['refused', second.id]);
      assert.equal(refused.body.principal, undefined);
      const entries = await entriesFrom(from);
      assert.deepEqual(
        entries.map((e) => [e.kind, e.actor, e.refs.change]),
        [['principal.refused', second.id, 'create']],
      );
      const before = await h.snapshot();
      const late = await approve(id, third.token);
      assert.deepEqual([late.status, late.body.error], [409, 'proposal_closed']);
      assert.match(late.body.message, /already refused/);
      assert.equal(await h.snapshot(), before);
      const listed = await h.call('GET', '/v1/principals?limit=500', { token: first.token });
      assert.ok(!listed.body.items.some((p: { name: string }) => p.name === 'Refused court'));
    });

    test('admin and oversight are proposals too; every other role is created at once', async () => {
      for (const role of ['admin', 'oversight']) {
        const proposed = await propose({ role });
        assert.equal(proposed.status, 202, `${role}: ${JSON.stringify(proposed.body)}`);
        assert.equal(proposed.body.proposal.role, role);
      }
      for (const body of [
        { role: 'registrar' },
        { role: 'moderator' },
        { role: 'authority', jurisdiction: 'GB' },
        { role: 'service', actions: ['travel.air'] },
      ]) {
        const created = await propose(body);
        assert.equal(created.status, 201, `${body.role}: ${JSON.stringify(created.body)}`);
        assert.equal(created.body.principal.role, body.role);
      }
      // Bad input is refused before any proposal: 400, nothing written.
      const before = await h.snapshot();
      const bad = await propose({ role: 'oversight', jurisdiction: 'GB' });
      assert.deepEqual([bad.status, bad.body.error], [400, 'invalid_request']);
      assert.equal(await h.snapshot(), before);
    });

    test('revoking an admin takes two; its token works until the approval', async () => {
      const target = await admin('Leaving admin');
      const from = await logSize(h);
      const proposed = await h.call('POST', `/v1/principals/${target.id}/revoke`, { token: first.token });
      assert.equal(proposed.status, 202, JSON.stringify(proposed.body));
      assert.deepEqual(
        [proposed.body.proposal.change, proposed.body.proposal.principal, proposed.body.proposal.name],
        ['revoke', target.id, 'Leaving admin'],
      );
      assert.equal((await h.call('GET', '/v1/whoami', { token: target.token })).status, 200);
      assert.equal((await approve(proposed.body.proposal.id, first.token)).body.error, 'own_proposal');
      // The admin revoked may approve its own revocation: it is not its proposer.
      const approved = await approve(proposed.body.proposal.id, target.token);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(typeof approved.body.principal.revokedAt, 'string');
      assert.equal(approved.body.token, undefined);
      assert.equal((await h.call('GET', '/v1/whoami', { token: target.token })).status, 401);
      const entries = await entriesFrom(from);
      assert.deepEqual(
        entries.map((e) => e.kind),
        ['principal.proposed', 'principal.revoked', 'principal.approved'],
      );
      assert.deepEqual(entries[0]!.refs, {
        proposal: proposed.body.proposal.id,
        role: 'admin',
        change: 'revoke',
        principal: target.id,
      });
      // Other roles are revoked at once.
      const registrar = await h.ctx.principals.create({ role: 'registrar' });
      const direct = await h.call('POST', `/v1/principals/${registrar.principal.id}/revoke`, {
        token: first.token,
      });
      assert.deepEqual([direct.status, typeof direct.body.revokedAt], [200, 'string']);
    });

    test('two approvals at once: one carries it out, the other is 409', async () => {
      const proposed = await propose({ role: 'auditor', name: 'Raced auditor' });
      const answers = await Promise.all([
        approve(proposed.body.proposal.id, second.token),
        approve(proposed.body.proposal.id, third.token),
      ]);
      assert.deepEqual(
        answers.map((a) => a.status).sort(),
        [200, 409],
        JSON.stringify(answers.map((a) => a.body)),
      );
      const listed = await h.call('GET', '/v1/principals?limit=500', { token: first.token });
      assert.equal(listed.body.items.filter((p: { name: string }) => p.name === 'Raced auditor').length, 1);
    });

    test('a proposal expires after the policy’s days; one whose proposer was revoked cannot be approved', async () => {
      const stale = await propose({ role: 'oversight', name: 'Stale court' });
      const orphan = await propose({ role: 'oversight', name: 'Orphan court' }, third.token);
      clock.advance(days(7) + 1000);
      const before = await h.snapshot();
      const late = await approve(stale.body.proposal.id, second.token);
      assert.deepEqual([late.status, late.body.error], [409, 'proposal_closed']);
      assert.match(late.body.message, /expired at/);
      assert.equal(await h.snapshot(), before);
      const shown = await h.call('GET', `/v1/principal-proposals/${stale.body.proposal.id}`, {
        token: second.token,
      });
      assert.equal(shown.body.status, 'expired');
      const expired = await h.call('GET', '/v1/principal-proposals?status=expired', { token: second.token });
      assert.ok(expired.body.items.some((p: { id: string }) => p.id === stale.body.proposal.id));
      const pending = await h.call('GET', '/v1/principal-proposals?status=pending', { token: second.token });
      assert.ok(!pending.body.items.some((p: { id: string }) => p.id === stale.body.proposal.id));
      clock.reset();

      await h.ctx.principals.revoke(third.id);
      const void_ = await approve(orphan.body.proposal.id, second.token);
      assert.deepEqual([void_.status, void_.body.error], [409, 'proposal_closed']);
      assert.match(void_.body.message, /revoked since/);
    });

    test('the list is newest first, pages, filters by status; unknown and malformed ids', async () => {
      const all = await h.call('GET', '/v1/principal-proposals?limit=2', { token: first.token });
      assert.equal(all.status, 200);
      assert.equal(all.body.items.length, 2);
      const next = await h.call('GET', `/v1/principal-proposals?limit=2&cursor=${all.body.cursor}`, {
        token: first.token,
      });
      assert.equal(next.status, 200);
      const times = [...all.body.items, ...next.body.items].map((p: { proposedAt: string }) => p.proposedAt);
      assert.deepEqual(times, [...times].sort().reverse());
      const refused = await h.call('GET', '/v1/principal-proposals?status=refused', { token: first.token });
      assert.ok(refused.body.items.every((p: { status: string }) => p.status === 'refused'));
      assert.ok(refused.body.items.length >= 1);
      const unknown = await h.call('GET', '/v1/principal-proposals/ppr_0000000000000000', {
        token: first.token,
      });
      assert.deepEqual([unknown.status, unknown.body.error], [404, 'proposal_not_found']);
      const missing = await approve('ppr_0000000000000000', second.token);
      assert.deepEqual([missing.status, missing.body.error], [404, 'proposal_not_found']);
      const malformed = await approve('not-a-proposal', second.token);
      assert.equal(malformed.status, 400);
      const badStatus = await h.call('GET', '/v1/principal-proposals?status=maybe', { token: first.token });
      assert.equal(badStatus.status, 400);
    });
  },
  { now: clock.now },
);

/** Runs `mdis` on the harness's store (its SQLite file, or its PostgreSQL schema). */
function cli(h: Harness, args: string[]) {
  return mdis([...args, '--data', h.dataDir], {
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    ...(h.store === 'postgres' ? { MDIS_DATABASE_URL: postgresUrl!, MDIS_DATABASE_SCHEMA: h.schema! } : {}),
  });
}

forEachStore('the operator’s machine is break-glass', (h) => {
  test('the first admin of a new store is break-glass: no admin exists to approve it', async () => {
    const file = await ensureFirstAdmin(h.ctx.principals, h.dataDir);
    assert.ok(file !== undefined, 'a new store gets its first admin');
    const entries = (await entriesSince(h, 0)) as Entry[];
    const created = entries.filter((e) => e.kind === 'principal.created');
    assert.deepEqual(
      created.map((e) => [e.actor, e.refs.role, e.refs.breakGlass]),
      [['operator', 'admin', true]],
    );
  });

  test('mdis admin principal create and revoke act at once, say so, and are marked breakGlass in the log', async () => {
    const from = await logSize(h);
    const made = await cli(h, [
      'admin',
      'principal',
      'create',
      '--role',
      'oversight',
      '--name',
      'Court',
      '--json',
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stderr, /break-glass/);
    const output = JSON.parse(made.stdout);
    const created = output.principal;
    assert.equal(created.role, 'oversight');
    const whoami = await h.call('GET', '/v1/whoami', { token: output.token });
    assert.equal(whoami.body.role, 'oversight');

    const revoked = await cli(h, ['admin', 'principal', 'revoke', created.id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stderr, /break-glass/);
    assert.match(revoked.stdout, new RegExp(`^revoked ${created.id}`));

    const entries = (await entriesSince(h, from)) as Entry[];
    assert.deepEqual(
      entries.map((e) => [e.kind, e.actor, e.refs.principal, e.refs.breakGlass]),
      [
        ['principal.created', 'operator', created.id, true],
        ['principal.revoked', 'operator', created.id, true],
      ],
    );
    // Not a proposal: nothing waits for a second admin.
    const { n } = await h.ctx.db
      .selectFrom('principal_proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 0);
  });
});

// Issue 17: a script that creates principals reads one shape, whichever way it made them.
forEachStore('creating a principal answers one shape over HTTP and the CLI', (h) => {
  test('POST /v1/principals and mdis admin principal create --json: {principal, token, activation}', async () => {
    const admin = await h.ctx.principals.create({ role: 'admin', name: 'Shape admin' });
    const shapeOf = (made: Record<string, Record<string, unknown>>) => ({
      top: Object.keys(made).sort(),
      principal: Object.keys(made.principal!).sort(),
      activation: made.activation === undefined ? undefined : Object.keys(made.activation).sort(),
    });
    for (const role of ['registrar', 'service'] as const) {
      const scope = role === 'service' ? { actions: ['travel.air'] } : {};
      const http = await h.call('POST', '/v1/principals', {
        token: admin.token,
        body: { role, name: `${role} by HTTP`, ...scope },
      });
      assert.equal(http.status, 201, JSON.stringify(http.body));
      const args = ['admin', 'principal', 'create', '--role', role, '--name', `${role} by CLI`, '--json'];
      const run = await cli(h, role === 'service' ? [...args, '--actions', 'travel.air'] : args);
      assert.equal(run.code, 0, run.stderr);
      const byCli = JSON.parse(run.stdout);
      assert.deepEqual(shapeOf(byCli), shapeOf(http.body), role);
      assert.equal(byCli.principal.role, role);
      assert.equal(byCli.principal.name, `${role} by CLI`);
      assert.match(byCli.token, /^mdis_/);
      // A person gets an activation code either way; a machine none.
      assert.equal(byCli.activation === undefined, role === 'service');
      const whoami = await h.call('GET', '/v1/whoami', { token: byCli.token });
      assert.equal(whoami.body.id, byCli.principal.id);
    }
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { PolicyDocument } from '../src/policy/policy.ts';
import { mdis, root, Server } from './_cli.ts';
import { personEnrolment, tempDir } from './_util.ts';

// The policy file as an operator meets it: `mdis policy check`, then `mdis serve --policy`.
const defaultFile = 'policy/default.json';
const dirs: string[] = [];

after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = tempDir('policy-cli');
  dirs.push(dir);
  return dir;
}

function defaultDocument(): PolicyDocument {
  return JSON.parse(fs.readFileSync(path.join(root, defaultFile), 'utf8')) as PolicyDocument;
}

/** Writes the default policy, changed by `edit`, to a file of its own. */
function policyFile(edit: (document: PolicyDocument) => void): string {
  const document = defaultDocument();
  edit(document);
  const file = path.join(scratch(), 'policy.json');
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

/** A regular expression source that matches `text` and nothing else. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('mdis policy check', () => {
  test('the shipped policy is valid: exit 0, one line with its name, counts and digest', async () => {
    const { name, categories, actions, strikes } = defaultDocument();
    const run = await mdis(['policy', 'check', defaultFile]);
    assert.equal(run.code, 0, run.stderr);
    // No harsh rule (issue 14): a ban takes at least three upheld decisions (15 strikes, up to 5 each).
    assert.equal(run.stderr, '');
    assert.match(
      run.stdout,
      new RegExp(
        `^${literal(defaultFile)}: valid \\(${literal(name)}; ${Object.keys(categories).length} categories, ` +
          `${Object.keys(actions).length} actions, ${strikes.ladder.length} ladder steps; digest [0-9a-f]{64}\\)\n$`,
      ),
    );
  });

  test('warnings on harsh rules: exit 0; with --strict they are errors, exit 2', async () => {
    const file = policyFile((p) => {
      p.categories.spreading_rumors!.disclosure.legalBases = ['warrant', 'emergency'];
      p.strikes.ladder = p.strikes.ladder.filter((step) => step.sanction !== 'ban');
      p.eligibility = { digitalIdChecks: [] };
    });
    const warned = await mdis(['policy', 'check', file]);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stdout, /: valid \(/);
    assert.equal(
      warned.stderr,
      `mdis: policy ${file}: warning: categories.spreading_rumors.disclosure.legalBases: speech may lead to an ` +
        'emergency disclosure: an identity given out for what someone said, before any review\n',
    );
    const strict = await mdis(['policy', 'check', '--strict', file]);
    assert.equal(strict.code, 2);
    assert.equal(strict.stdout, '');
    assert.match(strict.stderr, /: error: categories\.spreading_rumors\.disclosure\.legalBases: /);
    const clean = policyFile((p) => {
      p.strikes.ladder = p.strikes.ladder.filter((step) => step.sanction !== 'ban');
      p.eligibility = { digitalIdChecks: [] };
    });
    const passed = await mdis(['policy', 'check', '--strict', clean]);
    assert.equal(passed.code, 0, passed.stderr);
    assert.equal(passed.stderr, '');
  });

  test('negative events counted directly: a warning (two for speech); --strict makes them errors', async () => {
    const file = policyFile((p) => {
      p.categories.fraud!.negativeEvents = 'direct';
      p.categories.hate_speech!.negativeEvents = 'direct';
    });
    const warned = await mdis(['policy', 'check', file]);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stdout, /: valid \(/);
    const lines = warned.stderr.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => line.slice(`mdis: policy ${file}: `.length).split(':').slice(0, 2).join(':')),
      [
        'warning: categories.fraud.negativeEvents',
        'warning: categories.hate_speech.negativeEvents',
        'warning: categories.hate_speech.speech',
      ],
    );
    assert.match(lines[0]!, /without a moderator: a world’s word alone lowers it/);
    const strict = await mdis(['policy', 'check', '--strict', file]);
    assert.equal(strict.code, 2);
    assert.equal(strict.stdout, '');
    assert.match(strict.stderr, /: error: categories\.fraud\.negativeEvents: /);
    // Reports, the default, said out loud: no warning.
    const reported = policyFile((p) => {
      p.categories.fraud!.negativeEvents = 'report';
    });
    const quiet = await mdis(['policy', 'check', '--strict', reported]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
  });

  // `says` is what follows "mdis: policy FILE: ": the key path first, wherever there is one.
  const cases: { name: string; file: () => string; says: string }[] = [
    {
      name: 'an unknown sanction kind in an action’s deniedBy',
      file: () => policyFile((p) => (p.actions['travel.air']!.deniedBy as string[]).push('jail')),
      says: 'actions.travel.air.deniedBy.0: must be one of ban, suspension, mute',
    },
    {
      name: 'a negative strike count for a severity',
      file: () =>
        policyFile((p) => {
          p.strikes.perSeverity['2'] = -1;
        }),
      says: 'strikes.perSeverity.2: must be >= 0',
    },
    {
      name: 'a negative strike count on the ladder',
      file: () =>
        policyFile((p) => {
          p.strikes.ladder[0]!.atStrikes = -1;
        }),
      says: 'strikes.ladder.0.atStrikes: must be >= 1',
    },
    {
      name: 'an unknown grade in deniedAtGrades',
      file: () => policyFile((p) => p.actions['finance.credit']!.deniedAtGrades.push('Z')),
      says: 'actions.finance.credit.deniedAtGrades: "Z" is not a grade',
    },
    {
      name: 'negativeEvents on a positive category',
      file: () =>
        policyFile((p) => {
          p.categories.volunteering!.negativeEvents = 'direct';
        }),
      says: 'categories.volunteering.negativeEvents: is for negative conduct only',
    },
    {
      name: 'a file that is not JSON',
      file: () => {
        const file = path.join(scratch(), 'policy.json');
        fs.writeFileSync(file, '{"version": 1,');
        return file;
      },
      says: 'is not valid JSON',
    },
    {
      name: 'a file that does not exist',
      file: () => path.join(scratch(), 'missing.json'),
      says: 'cannot be read (ENOENT)',
    },
  ];
  for (const { name, file, says } of cases) {
    test(`${name}: exit 2, one line naming it`, async () => {
      const bad = file();
      const run = await mdis(['policy', 'check', bad]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
      assert.ok(
        run.stderr.startsWith(`mdis: policy ${bad}: ${says}`),
        `"${says}" after the file name: ${run.stderr}`,
      );
    });
  }
});

describe('mdis serve with a bad policy refuses to start and writes nothing', () => {
  const key = 'actions.travel.air.deniedBy.0';
  const bad = policyFile((p) => (p.actions['travel.air']!.deniedBy as string[]).push('jail'));
  const ways: { name: string; args: string[]; env: Record<string, string> }[] = [
    { name: '--policy', args: ['--policy', bad], env: {} },
    { name: 'MDIS_POLICY', args: [], env: { MDIS_POLICY: bad } },
  ];
  for (const { name, args, env } of ways) {
    test(name, async () => {
      const dir = path.join(scratch(), 'store');
      const run = await mdis(['serve', '--host', '127.0.0.1', '--port', '0', '--data', dir, ...args], env);
      assert.equal(run.code, 2);
      assert.ok(!fs.existsSync(dir), `nothing written, yet the data dir holds: ${listing(dir)}`);
      assert.equal(run.stdout, '', 'not even a log line');
      assert.equal(run.stderr, `mdis: policy ${bad}: ${key}: must be one of ban, suspension, mute\n`);
    });
  }
});

function listing(dir: string): string {
  return fs.existsSync(dir) ? fs.readdirSync(dir).join(', ') : '(no dir)';
}

describe('mdis serve with a good policy of its own uses it', () => {
  // An action the shipped policy lacks, denied at the grade every new subject starts in.
  const good = policyFile((p) => {
    p.actions['travel.sea'] = { description: 'Buy a ferry ticket', deniedBy: ['ban'], deniedAtGrades: ['A'] };
  });
  const ways: { name: string; args: string[]; env: Record<string, string> }[] = [
    { name: '--policy', args: ['--policy', good], env: {} },
    { name: 'MDIS_POLICY', args: [], env: { MDIS_POLICY: good } },
  ];
  for (const { name, args, env } of ways) {
    test(name, async () => {
      const checked = await mdis(['policy', 'check', good]);
      assert.equal(checked.code, 0, checked.stderr);
      const digest = /digest ([0-9a-f]{64})/.exec(checked.stdout)?.[1];
      assert.ok(digest, checked.stdout);

      const dir = scratch();
      const server = await Server.start(dir, args, env);
      try {
        const activated = server.logs.find((l) => l.msg === 'a new policy is in force');
        assert.equal(activated?.digest, digest, 'the policy checked is the one in force');

        const admin = fs.readFileSync(path.join(dir, 'admin.token'), 'utf8').trim();
        const registrar = await server.request('POST', '/v1/principals', admin, { role: 'registrar' });
        assert.equal(registrar.status, 201, JSON.stringify(registrar.body));
        const service = await server.request('POST', '/v1/principals', admin, {
          role: 'service',
          actions: ['travel.sea', 'travel.rail'],
        });
        assert.equal(service.status, 201, JSON.stringify(service.body));
        const subject = await server.request('POST', '/v1/subjects', registrar.body.token, personEnrolment());
        assert.equal(subject.status, 201, JSON.stringify(subject.body));

        const check = (action: string) =>
          server.get(`/v1/eligibility?subject=${subject.body.id}&action=${action}`, service.body.token);
        assert.deepEqual(await check('travel.sea'), {
          status: 200,
          body: { allowed: false, reason: 'grade', sanctionIds: [] },
        });
        assert.deepEqual(await check('travel.rail'), {
          status: 200,
          body: { allowed: true, reason: 'eligible', sanctionIds: [] },
        });
      } finally {
        await server.stop('SIGKILL');
      }
    });
  }
});

describe('the policy in force', () => {
  // Every new subject starts 100 points higher than under the shipped policy.
  const richer = policyFile((p) => {
    p.name = 'richer start';
    p.credit.base = 1100;
  });

  test('commands other than serve keep it; serving under another, or the earlier one again, changes it', async () => {
    const dir = scratch();
    const first = await Server.start(dir, ['--policy', richer]);
    let subject: string;
    let moderator: string;
    try {
      const admin = fs.readFileSync(path.join(dir, 'admin.token'), 'utf8').trim();
      const principal = async (role: string) =>
        (await first.request('POST', '/v1/principals', admin, { role })).body.token as string;
      const registrar = await principal('registrar');
      moderator = await principal('moderator');
      subject = (await first.request('POST', '/v1/subjects', registrar, personEnrolment())).body.id;
    } finally {
      await first.stop('SIGKILL');
    }

    // Neither puts the shipped policy in force behind the server's back.
    for (const args of [
      ['admin', 'principal', 'create', '--role', 'auditor', '--data', dir],
      ['credit', 'recompute', '--data', dir],
    ]) {
      const run = await mdis(args);
      assert.equal(run.code, 0, run.stderr);
    }
    const recomputed = await mdis(['credit', 'recompute', '--data', dir]);
    assert.match(recomputed.stdout, / 0 scores changed/);

    const serveUnder = async (args: string[]) => {
      const server = await Server.start(dir, args);
      try {
        const credit = await server.get(`/v1/subjects/${subject}/credit`, moderator);
        assert.equal(credit.status, 200, JSON.stringify(credit.body));
        const changed = server.logs.some((l) => l.msg === 'a new policy is in force');
        return { score: credit.body.score as number, changed };
      } finally {
        await server.stop('SIGKILL');
      }
    };
    assert.deepEqual(await serveUnder(['--policy', richer]), { score: 1100, changed: false });
    assert.deepEqual(await serveUnder([]), { score: 1000, changed: true }, 'the shipped policy');
    assert.deepEqual(await serveUnder(['--policy', richer]), { score: 1100, changed: true }, 'back again');
  });
});

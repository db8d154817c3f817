import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { forEachStore, type Harness, personEnrolment, postgresUrl, tempDir } from './_util.ts';

// `mdis erasure run` does what the scheduled pass of `mdis serve` does, with a progress bar. Under
// a policy that keeps a closed person no day at all, the erasure is due the moment it is asked.

const run = promisify(execFile);

function noRetentionPolicy(): string {
  const policy = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../policy/default.json'), 'utf8'),
  );
  policy.retention.person = { afterRequestDays: 0, afterClosureDays: 0 };
  const file = path.join(tempDir('policy'), 'no-retention.json');
  fs.writeFileSync(file, JSON.stringify(policy));
  return file;
}

async function erasureRun(h: Harness): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    MDIS_DATA_DIR: h.dataDir,
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    MDIS_DATABASE_URL: h.store === 'postgres' ? postgresUrl : '',
    MDIS_DATABASE_SCHEMA: h.schema ?? '',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['src/main.ts', 'erasure', 'run'], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

forEachStore(
  'mdis erasure run',
  (h) => {
    let registrar: string;
    let admin: string;
    before(async () => {
      registrar = await h.token({ role: 'registrar' });
      admin = await h.token({ role: 'admin' });
    });

    test('erases the subjects due, and says how many', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
        ids.push(enrolled.body.id);
        const closed = await h.call('POST', `/v1/subjects/${enrolled.body.id}/closure`, {
          token: registrar,
          body: { reason: 'death' },
        });
        assert.equal(closed.status, 202, JSON.stringify(closed.body));
      }
      const first = await erasureRun(h);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^erased 2 subjects; 0 due but held$/m);
      for (const id of ids) {
        const read = await h.call('GET', `/v1/subjects/${id}?purpose=support`, { token: admin });
        assert.equal(read.status, 410, JSON.stringify(read.body));
      }
      const again = await erasureRun(h);
      assert.match(again.stdout, /^erased 0 subjects; 0 due but held$/m, 'nothing is erased twice');
    });
  },
  { config: { policyFile: noRetentionPolicy() } },
);

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Harness, postgresUrl } from './_util.ts';

const run = promisify(execFile);

/** Runs `mdis <args>` on a harness's store (its SQLite file, or its PostgreSQL schema), as an operator would. */
export async function storeCli(
  h: Harness,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const env = {
    ...process.env,
    MDIS_DATA_DIR: h.dataDir,
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    MDIS_DATABASE_URL: h.store === 'postgres' ? postgresUrl : '',
    MDIS_DATABASE_SCHEMA: h.schema ?? '',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['src/main.ts', ...args], { env });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

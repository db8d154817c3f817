import fs from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../context.ts';
import { DemoClient } from '../demo/client.ts';
import { castDemo, type DemoExisting, reportTom } from '../demo/population.ts';
import { writeSecretFile } from '../util/secret-file.ts';

export const demoTokensFileName = 'demo-tokens.json';

/**
 * For `mdis serve --demo`: on a new store, casts the demo's people through the running API and
 * keeps a token per role in the data dir (mode 0600); on every start, prints where the console is
 * and those tokens, so anyone trying mdis can sign in as each role.
 */
export async function demoSignIns(options: {
  address: string;
  /** The public URL (the passkeys' origin), which may differ from the address listened on. */
  publicUrl: string;
  dataDir: string;
  adminToken: string | undefined;
  /** Makes the demo's second admin (break-glass, on this machine), for the two-admin rule. */
  secondAdmin: () => Promise<string>;
  now: Date;
  /** What the demo's population made that its people take rather than make again. */
  existing?: DemoExisting;
}): Promise<string> {
  const file = path.join(options.dataDir, demoTokensFileName);
  if (options.adminToken !== undefined && !fs.existsSync(file)) {
    const client = new DemoClient(options.address, () => {});
    const admins = { admin: options.adminToken, admin2: await options.secondAdmin() };
    const cast = await castDemo(
      client,
      admins,
      { base: options.address, publicUrl: options.publicUrl },
      options.existing,
    );
    await reportTom(client, cast, options.now);
    if (client.failures > 0) throw new Error('the demo population could not be created');
    writeSecretFile(file, `${JSON.stringify(cast.tokens, null, 2)}\n`);
  }
  const lines = [`\nmdis console: ${options.address}/`];
  if (fs.existsSync(file)) {
    const tokens = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    lines.push(`Sign in with one of these tokens (demo data; kept in ${file}):`);
    for (const [role, token] of Object.entries(tokens)) lines.push(`  ${role.padEnd(10)} ${token}`);
  } else {
    lines.push(`The admin token is in ${path.join(options.dataDir, 'admin.token')}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** The demo's second admin, made on the operator's machine as the first was (break-glass). */
export async function demoSecondAdmin(ctx: Pick<CommandContext, 'principals'>): Promise<string> {
  const made = await ctx.principals.create({ role: 'admin', name: 'Second admin' }, { breakGlass: true });
  return made.token;
}

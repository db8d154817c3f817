import fs from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../context.ts';
import { DemoClient } from '../demo/client.ts';
import { castDemo, type DemoExisting, reportTom } from '../demo/population.ts';
import { writeSecretFile } from '../util/secret-file.ts';

export const demoTokensFileName = 'demo-tokens.json';

/**
 * For `mdis serve --demo`: on a new store, casts the demo's people through the running API and
 * keeps a token per role in the data dir (mode 0600); on every start, returns the block printed
 * before the log: where the console is and a sign-in link per role, so that anyone trying mdis
 * can sign in as each role by opening one.
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
  /** "clock: 15 days ahead", under --clock-offset. */
  clock?: string;
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
  const home = `${options.publicUrl}/`;
  const lines = ['', `mdis is ready: ${home}`];
  if (options.clock !== undefined) lines.push(options.clock);
  if (fs.existsSync(file)) {
    const tokens = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    lines.push('', 'Open a link to sign in as that role (demo data):');
    for (const [role, token] of Object.entries(tokens))
      lines.push(`  ${role.padEnd(10)} ${signInLink(home, token)}`);
    lines.push('', `Each link signs in whoever opens it. The tokens are kept in ${file}.`);
  } else {
    lines.push(`The admin token is in ${path.join(options.dataDir, 'admin.token')}.`);
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * The console's address with the token in the fragment: a browser never sends the fragment to
 * the server (so no access log holds it), and the console takes it out of the address bar.
 */
export function signInLink(home: string, token: string): string {
  return `${home}#token=${encodeURIComponent(token)}`;
}

/** The demo's second admin, made on the operator's machine as the first was (break-glass). */
export async function demoSecondAdmin(ctx: Pick<CommandContext, 'principals'>): Promise<string> {
  const made = await ctx.principals.create({ role: 'admin', name: 'Second admin' }, { breakGlass: true });
  return made.token;
}

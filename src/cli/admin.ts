import { Command, Option } from 'commander';
import { type CommandContext, openCommandContext } from '../context.ts';
import { checkNewPrincipal, type PrincipalRecord } from '../principals/principal-service.ts';
import { roles } from '../principals/roles.ts';
import { storeConfig, withStoreOptions } from './options.ts';
import { stderrLogger } from './run.ts';

type StoreOptions = { data?: string };

async function withContext<T>(options: StoreOptions, work: (ctx: CommandContext) => Promise<T>) {
  const ctx = await openCommandContext(storeConfig(options), { logger: stderrLogger() });
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}

export function adminCommand(): Command {
  const principal = new Command('principal').description(
    'create, list and revoke the callers of the API (break-glass: past the two-admin rule, logged as such)',
  );

  withStoreOptions(
    principal
      .command('create')
      .description('create a principal and print its token (shown once)')
      .addOption(new Option('--role <role>', 'its role').choices(roles).makeOptionMandatory())
      .option('--world <world>', 'platform: the world it acts for')
      .option('--actions <list>', 'service: comma-separated action categories')
      .option('--jurisdiction <code>', 'authority: ISO 3166 code of its jurisdiction')
      .option('--subject <id>', 'subject: its own digital ID')
      .option('--organisation <name>', 'staff: the organisation it acts for')
      .option('--name <name>', 'a name to recognise it by')
      .option(
        '--json',
        'print {"principal","token"} (and a person’s "activation") as JSON and nothing else, as POST /v1/principals answers',
      ),
  ).action(async (options: StoreOptions & Record<string, string | boolean | undefined>) => {
    const input = {
      role: String(options.role),
      name: options.name as string | undefined,
      world: options.world as string | undefined,
      actions:
        typeof options.actions === 'string' ? options.actions.split(',').map((a) => a.trim()) : undefined,
      jurisdiction: options.jurisdiction as string | undefined,
      subject: options.subject as string | undefined,
      organisation: options.organisation as string | undefined,
    };
    checkNewPrincipal(input); // bad input is refused before the store is opened, let alone created
    // A person (staff) also gets an activation code, to register a passkey on the console.
    const {
      principal: created,
      token,
      activation,
    } = await withContext(options, async (ctx) => {
      const made = await ctx.activation.createPrincipal(input, { breakGlass: true });
      const link = made.activation === undefined ? undefined : ctx.activationLink(made.activation.code);
      return { ...made, activation: made.activation && { ...made.activation, link: link! } };
    });
    breakGlassNotice();
    if (options.json) {
      // The shape of POST /v1/principals' 201: one parser serves scripts of either.
      const shown = { principal: created, token, ...(activation && { activation }) };
      process.stdout.write(`${JSON.stringify(shown)}\n`);
      return;
    }
    process.stdout.write(`${describe(created)}\ntoken: ${token}\n(the token is shown once; keep it safe)\n`);
    if (activation !== undefined) {
      process.stdout.write(
        `activation code: ${activation.code} (once, until ${activation.expiresAt})\nactivation link: ${activation.link}\n`,
      );
    }
  });

  withStoreOptions(
    principal.command('list').description('list principals').option('--json', 'print JSON lines'),
  ).action(async (options: StoreOptions & { json?: boolean }) => {
    await withContext(options, async (ctx) => {
      let cursor: string | undefined;
      do {
        const page = await ctx.principals.list({ cursor, limit: 500 });
        for (const p of page.items)
          process.stdout.write(`${options.json ? JSON.stringify(p) : describe(p)}\n`);
        cursor = page.cursor;
      } while (cursor !== undefined);
    });
  });

  withStoreOptions(principal.command('revoke').description('revoke a principal').argument('<id>')).action(
    async (id: string, options: StoreOptions) => {
      const revoked = await withContext(options, (ctx) => ctx.principals.revoke(id, { breakGlass: true }));
      breakGlassNotice();
      process.stdout.write(`revoked ${describe(revoked)}\n`);
    },
  );

  return new Command('admin').description('operator tasks on the store').addCommand(principal);
}

/**
 * On stderr, so that `--json` stays one line: the operator's machine is the way around the rule of
 * two admins (docs/access.md), and every use of it is marked in the log and counted in public.
 */
function breakGlassNotice(): void {
  process.stderr.write(
    'break-glass: made on the operator’s machine, without a second admin’s approval; logged as such (breakGlass) and counted in the transparency report\n',
  );
}

function describe(p: PrincipalRecord): string {
  const scope = [
    p.world && `world=${p.world}`,
    p.actions && `actions=${p.actions.join(',')}`,
    p.jurisdiction && `jurisdiction=${p.jurisdiction}`,
    p.subject && `subject=${p.subject}`,
  ].filter(Boolean);
  const state = p.revokedAt ? ` revoked ${p.revokedAt}` : '';
  return `${p.id}  ${p.role.padEnd(9)}  ${p.name}${scope.length ? `  (${scope.join(' ')})` : ''}${state}`;
}

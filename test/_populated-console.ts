import assert from 'node:assert/strict';
import { type Role, roles } from '../src/principals/roles.ts';
import { SimClock, simulatedYear } from '../src/simulate/clock.ts';
import { simulateInto } from '../src/simulate/population.ts';
import { dayMs } from '../src/util/time.ts';
import { type ConsoleServer, startConsoleServer } from './_browser.ts';
import { bindReporters, conductFixture } from './_fixtures.ts';
import { call, type Harness } from './_util.ts';

/**
 * A console server whose screens are not empty: a simulated population with a year of history
 * (so charts have a shape and lists have pages), then Tom's story on top in a world of its own
 * (a decided case with sanctions, an open case, a granted and a pending disclosure, Tom as a
 * signed-in subject with a bound avatar), and a token for every role. The clock stands still at
 * the end of the simulated year, so nothing moves while a test looks.
 */
export interface PopulatedConsole {
  server: ConsoleServer;
  /** A token per role, each naming a principal the screens show by name. */
  tokens: Record<Role, string>;
  decidedCase: string;
  openCase: string;
  grantedDisclosure: string;
  pendingDisclosure: string;
  /** The detail screens of the above, named for screenshots. */
  details: { name: string; path: string }[];
}

export { type Role, roles };

const world = 'agora';

export async function populatedConsole(
  plan = { subjects: 300, events: 3000, seed: 17 },
): Promise<PopulatedConsole> {
  const year = simulatedYear();
  const clock = new SimClock(year.start);
  const server = await startConsoleServer({ now: clock.now });
  try {
    await simulateInto(server.ctx, clock, plan, year);
    const story = await tomsStory(server);
    const details = [
      { name: 'cases-decided', path: `/cases/${story.decidedCase}` },
      { name: 'cases-open', path: `/cases/${story.openCase}` },
      { name: 'disclosures-granted', path: `/disclosures/${story.grantedDisclosure}` },
      { name: 'disclosures-pending', path: `/disclosures/${story.pendingDisclosure}` },
    ];
    return { server, ...story, details };
  } catch (error) {
    await server.close();
    throw error;
  }
}

async function tomsStory(server: ConsoleServer): Promise<Omit<PopulatedConsole, 'server' | 'details'>> {
  const { ctx, app } = server;
  const h = {
    ctx,
    app,
    token: async (input: Parameters<typeof ctx.principals.create>[0]) =>
      (await ctx.principals.create(input)).token,
    call: (method: string, url: string, options?: Parameters<typeof call>[3]) =>
      call(app, method, url, options),
  } as unknown as Harness;
  const f = await conductFixture(h, world);
  await bindReporters(h, world, ['alice', 'bob']);
  const fileReport = async (reporter: string, category: string) => {
    const filed = await h.call('POST', '/v1/reports', {
      token: f.platform,
      body: {
        world,
        handle: 'tom',
        category,
        reporter,
        description: 'Keeps posting that the agora bank is insolvent to start a run on it',
        evidence: [{ sha256: 'b'.repeat(64), uri: 'https://evidence.example/agora/123' }],
        occurredAt: new Date(ctx.now().getTime() - 3_600_000).toISOString(),
      },
    });
    assert.equal(filed.status, 202, JSON.stringify(filed.body));
    return filed.body.caseId as string;
  };
  const decidedCase = await fileReport('alice', 'spreading_rumors');
  const decided = await h.call('POST', `/v1/cases/${decidedCase}/decision`, {
    token: f.moderator,
    body: {
      outcome: 'upheld',
      severity: 2,
      rationale: 'Repeated false claims that caused a run on the agora bank',
      sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
    },
  });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  const openCase = await fileReport('bob', 'harassment');

  const authority = await h.token({ role: 'authority', name: 'Agora Police', jurisdiction: 'GB' });
  const oversight = await h.token({ role: 'oversight', name: 'Agora Magistrates' });
  const ask = async (reference: string) => {
    const asked = await h.call('POST', '/v1/disclosures', {
      token: authority,
      body: {
        target: { world, handle: 'tom' },
        scope: ['natural'],
        legalBasis: {
          kind: 'warrant',
          reference,
          issuedBy: 'Agora Magistrates Court',
          expiresAt: new Date(ctx.now().getTime() + 60 * dayMs).toISOString(),
        },
        offence: 'spreading_rumors',
        purpose: 'Identify who started the rumour of a run on the agora bank',
        case: decidedCase,
      },
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    return asked.body.id as string;
  };
  const grantedDisclosure = await ask('WARRANT-2026-0042');
  const approved = await h.call('POST', `/v1/disclosures/${grantedDisclosure}/approve`, {
    token: oversight,
    body: { reason: 'The warrant names the avatar and the offence' },
  });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const pendingDisclosure = await ask('WARRANT-2026-0043');

  const tokens: Record<Role, string> = {
    admin: f.admin,
    registrar: f.registrar,
    platform: f.platform,
    service: f.airline,
    moderator: f.moderator,
    authority,
    oversight,
    auditor: await h.token({ role: 'auditor', name: 'Log auditor' }),
    subject: f.subject,
  };
  return { tokens, decidedCase, openCase, grantedDisclosure, pendingDisclosure };
}

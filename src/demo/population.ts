import { hourMs } from '../util/time.ts';
import type { DemoClient } from './client.ts';

/** A token for each role of the demo, and the people in it. */
export interface DemoCast {
  tokens: Record<string, string>;
  tom: string;
  others: string[];
}

const people = [
  {
    handle: 'tom',
    legalName: 'Tom Rivers',
    birthDate: '1991-03-14',
    number: '925665416',
    email: 'tom@example.org',
  },
  {
    handle: 'alice',
    legalName: 'Alice Moreau',
    birthDate: '1988-11-02',
    number: '18AB77231',
    email: 'alice@example.org',
  },
  {
    handle: 'bob',
    legalName: 'Bob Okafor',
    birthDate: '1995-06-21',
    number: 'C41188203',
    email: 'bob@example.org',
  },
  {
    handle: 'carol',
    legalName: 'Carol Lindqvist',
    birthDate: '1979-01-30',
    number: '77Z100932',
    email: 'carol@example.org',
  },
];

/**
 * Sets up the demo's world through the API: principals for every role, the Plaza world, Tom and
 * three others enrolled and bound to their avatars there.
 */
export async function castDemo(client: DemoClient, admin: string): Promise<DemoCast> {
  client.title('The operator creates a principal for each role and registers a world');
  const tokens: Record<string, string> = { admin };
  const roles: [string, Record<string, unknown>][] = [
    ['registrar', { name: 'Civil registry' }],
    ['moderator', { name: 'Plaza moderation desk' }],
    // Appeals go to a moderator other than who decided.
    ['appeals', { role: 'moderator', name: 'Plaza appeals desk' }],
    ['authority', { name: 'Metropolitan police', jurisdiction: 'GB' }],
    ['oversight', { name: 'Investigatory Powers Commissioner' }],
    ['auditor', { name: 'Transparency auditor' }],
    ['airline', { role: 'service', name: 'Skyline Airways', actions: ['travel.air'] }],
  ];
  for (const [name, extra] of roles) {
    const body = { role: name, ...extra };
    const created = await client.step('POST', '/v1/principals', { token: admin, body, status: 201 }, (b) => {
      return `${name}: ${b.principal.id}`;
    });
    tokens[name] = created?.token;
  }
  const world = await client.step(
    'POST',
    '/v1/worlds',
    { token: admin, body: { id: 'plaza', name: 'The Plaza' }, status: 201 },
    (b) => `world plaza, platform ${b.platform.id}`,
  );
  tokens.platform = world?.platform?.token;

  client.title('The registrar enrols Tom and three others; the Plaza binds their avatars');
  const ids: string[] = [];
  for (const p of people) {
    const body = {
      kind: 'person',
      natural: {
        legalName: p.legalName,
        birthDate: p.birthDate,
        sex: 'X',
        nationality: 'GB',
        document: { type: 'passport', number: p.number, issuingCountry: 'GB' },
      },
      social: { email: p.email, occupation: 'Streamer' },
      signs: { deviceIds: [`dev:${p.handle}-01`] },
    };
    const subject = await client.step(
      'POST',
      '/v1/subjects',
      { token: tokens.registrar, body, status: 201 },
      (b) => {
        return `${p.handle} enrolled as ${b.id}`;
      },
    );
    ids.push(subject?.id);
    await client.step(
      'PUT',
      `/v1/worlds/plaza/avatars/${p.handle}`,
      { token: tokens.platform, body: { subject: subject?.id }, status: 201 },
      (b) => `avatar ${p.handle}, pseudonym ${b.pseudonym} (the world never sees the identity)`,
    );
  }
  const tom = ids[0]!;
  const subject = await client.step(
    'POST',
    '/v1/principals',
    { token: admin, body: { role: 'subject', name: 'Tom', subject: tom }, status: 201 },
    () => 'Tom gets his own sign-in',
  );
  tokens.subject = subject?.token;
  return { tokens, tom, others: ids.slice(1) };
}

/** Reports about Tom from the others, so that a moderator's queue has his case in it. */
export async function reportTom(client: DemoClient, cast: DemoCast, now: Date): Promise<string> {
  let caseId = '';
  for (const reporter of ['alice', 'bob']) {
    const body = {
      world: 'plaza',
      handle: 'tom',
      category: 'spreading_rumors',
      reporter,
      description: 'Posts that the Plaza bank is insolvent, starting a run on it',
      evidence: [{ sha256: 'a'.repeat(64), uri: `https://evidence.plaza.example/${reporter}` }],
      occurredAt: new Date(now.getTime() - hourMs).toISOString(),
    };
    const filed = await client.step(
      'POST',
      '/v1/reports',
      { token: cast.tokens.platform, body, status: 202 },
      (b) => {
        return `${reporter}'s report is in case ${b.caseId}`;
      },
    );
    caseId = filed?.caseId;
  }
  return caseId;
}

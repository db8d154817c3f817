import { createRemoteJWKSet, jwtVerify } from 'jose';
import { hourMs } from '../util/time.ts';
import { DemoBrowser } from './browser.ts';
import type { DemoClient } from './client.ts';
import { giveTomAPast } from './toms-past.ts';

/** Where the Plaza's sign-in comes back to (the demo's Plaza redeems the code itself). */
export const plazaCallback = 'https://plaza.example/callback';

/**
 * What exists already when the demo's people come to a store its population fills: tokens of
 * roles not made again (its authority, the Plaza's platform) and the Plaza's client secret.
 */
export interface DemoExisting {
  tokens?: Record<string, string>;
  /** With `tokens.platform`: the Plaza is registered, with the demo's redirect URI. */
  plazaSecret?: string;
}

/** A token for each role of the demo, and the people in it. */
export interface DemoCast {
  tokens: Record<string, string>;
  tom: string;
  others: string[];
  /** Tom's browser, with his passkey and his mdis session. */
  tomBrowser: DemoBrowser;
}

/** Where the demo reaches the server, and its public URL (the WebAuthn origin, the issuer). */
export interface DemoSite {
  base: string;
  publicUrl: string;
}

const people = [
  {
    handle: 'tom',
    legalName: 'Tom Rivers',
    givenName: 'Tom',
    familyName: 'Rivers',
    birthDate: '1991-03-14',
    number: '925665416',
    email: 'tom@example.org',
  },
  {
    handle: 'alice',
    legalName: 'Alice Moreau',
    givenName: 'Alice',
    familyName: 'Moreau',
    birthDate: '1988-11-02',
    number: '18AB77231',
    email: 'alice@example.org',
  },
  {
    handle: 'bob',
    legalName: 'Bob Okafor',
    givenName: 'Bob',
    familyName: 'Okafor',
    birthDate: '1995-06-21',
    number: 'C41188203',
    email: 'bob@example.org',
  },
  {
    handle: 'carol',
    legalName: 'Carol Lindqvist',
    givenName: 'Carol',
    familyName: 'Lindqvist',
    birthDate: '1979-01-30',
    number: '77Z100932',
    email: 'carol@example.org',
  },
];

/**
 * Sets up the demo's world through the API: principals for every role, the Plaza world, Tom and
 * three others enrolled and bound to their avatars there.
 */
export async function castDemo(
  client: DemoClient,
  admins: { admin: string; admin2: string },
  site: DemoSite,
  existing: DemoExisting = {},
): Promise<DemoCast> {
  client.title('The operator creates a principal for each role and registers a world');
  const { admin } = admins;
  const tokens: Record<string, string> = { ...admins };
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
    const made = existing.tokens?.[name];
    if (made !== undefined) {
      tokens[name] = made;
      continue;
    }
    const body = { role: name, ...extra };
    if (name === 'oversight' || name === 'auditor') {
      tokens[name] = await twoAdmins(client, admins, body);
      continue;
    }
    const created = await client.step('POST', '/v1/principals', { token: admin, body, status: 201 }, (b) => {
      return `${name}: ${b.principal.id}`;
    });
    tokens[name] = created?.token;
  }
  let plazaSecret = existing.plazaSecret;
  if (plazaSecret === undefined || existing.tokens?.platform === undefined) {
    const world = await client.step(
      'POST',
      '/v1/worlds',
      {
        token: admin,
        body: { id: 'plaza', name: 'The Plaza', oidc: { redirectUris: [plazaCallback] } },
        status: 201,
      },
      (b) => `world plaza, platform ${b.platform.id}, OpenID Connect client "${b.oidc.clientId}"`,
    );
    tokens.platform = world?.platform?.token;
    plazaSecret = world?.oidc?.clientSecret as string;
  } else {
    tokens.platform = existing.tokens.platform;
  }

  client.title(
    'The registrar enrols Tom and three others; each registers a passkey and signs in to the Plaza through mdis',
  );
  let tomBrowser: DemoBrowser | undefined;
  const ids: string[] = [];
  for (const p of people) {
    const body = {
      kind: 'person',
      natural: {
        legalName: p.legalName,
        givenName: p.givenName,
        familyName: p.familyName,
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
    const browser = new DemoBrowser(site.base, site.publicUrl);
    tomBrowser ??= browser;
    const activated = await browser.activate(subject?.activation?.code ?? '');
    client.expect(
      activated,
      `${p.handle} uses the one-time activation code and registers a passkey`,
      activated.status === 201 ? undefined : 'activation failed',
    );
    const signIn = await browser.signInToWorld({
      world: 'plaza',
      redirectUri: plazaCallback,
      scope: 'openid age standing avatar',
      avatar: p.handle,
    });
    const consent = signIn.consent ?? { status: 0, body: 'no consent page' };
    const claims = (signIn.details?.body?.claims ?? []).map((c: { name: string }) => c.name).join(', ');
    client.expect(
      consent,
      `${p.handle} consents on mdis's page (The Plaza asks for ${claims}): avatar "${p.handle}" bound`,
      signIn.code === undefined ? 'the sign-in did not come back with a code' : undefined,
    );
    if (p.handle === 'tom' && signIn.code !== undefined) {
      await plazaRedeems(client, site, {
        code: signIn.code,
        verifier: signIn.verifier,
        secret: plazaSecret!,
      });
    }
  }
  const tom = ids[0]!;
  const subject = await client.step(
    'POST',
    '/v1/principals',
    { token: admin, body: { role: 'subject', name: 'Tom', subject: tom }, status: 201 },
    () => 'Tom gets his own sign-in',
  );
  tokens.subject = subject?.token;
  return { tokens, tom, others: ids.slice(1), tomBrowser: tomBrowser! };
}

/** A power that oversees takes two admins: one proposes, the other approves and gets the token. */
async function twoAdmins(
  client: DemoClient,
  admins: { admin: string; admin2: string },
  body: Record<string, unknown>,
): Promise<string> {
  const proposed = await client.step(
    'POST',
    '/v1/principals',
    { token: admins.admin, body, status: 202 },
    (b) => `${body.role} proposed (${b.proposal.id}): it takes a second admin`,
  );
  const approved = await client.step(
    'POST',
    `/v1/principal-proposals/${proposed?.proposal?.id}/approve`,
    { token: admins.admin2, status: 200 },
    (b) => `the second admin approves: ${body.role} ${b.principal.id}`,
  );
  return approved?.token;
}

/** The Plaza's side: it redeems the code with its secret and PKCE verifier, and checks the ID token. */
async function plazaRedeems(
  client: DemoClient,
  site: DemoSite,
  input: { code: string; verifier: string; secret: string },
): Promise<void> {
  const response = await fetch(new URL('/oidc/token', site.base), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`plaza:${input.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: plazaCallback,
      code_verifier: input.verifier,
    }),
  });
  const body = (await response.json()) as { id_token?: string };
  let problem: string | undefined = response.status === 200 ? undefined : 'the code exchange failed';
  let summary = '';
  if (body.id_token !== undefined) {
    try {
      const jwks = createRemoteJWKSet(new URL('/oidc/jwks', site.base));
      const { payload } = await jwtVerify(body.id_token, jwks, { issuer: site.publicUrl, audience: 'plaza' });
      summary = `the Plaza verifies Tom's ID token: sub ${payload.sub} (a pseudonym, never his digital ID), age_over_18 ${payload.age_over_18}, standing ${payload.standing}`;
    } catch (error) {
      problem = `the ID token did not verify: ${(error as Error).message}`;
    }
  }
  client.expect({ status: response.status, body }, summary, problem);
}

/**
 * Tom's past (see `giveTomAPast`), then reports about him from the others, so that a moderator's
 * queue has his case in it: `serve --demo`'s start, not `mdis demo`'s (which starts from nothing).
 */
export async function reportTom(client: DemoClient, cast: DemoCast, now: Date): Promise<string> {
  await giveTomAPast(client, cast, now);
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

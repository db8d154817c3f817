import { dayMs as day, hourMs, isoAfter } from '../util/time.ts';
import type { DemoClient } from './client.ts';
import type { DemoCast } from './population.ts';

/** What the scenario needs from its host: a clock it can move past the gag period. */
export interface DemoHost {
  advanceDays(days: number): void;
  now(): Date;
  /** Runs the scheduled passes (decay, expiry, checkpoint) as a serving instance would. */
  runPasses(): Promise<void>;
}

/** The proposal's example, step by step: Tom spreads rumours and is identified and sanctioned. */
export async function playTom(client: DemoClient, cast: DemoCast, host: DemoHost): Promise<void> {
  const t = cast.tokens;
  const tom = cast.tom;
  const air = () =>
    client.call('GET', `/v1/eligibility?subject=${tom}&action=travel.air`, { token: t.airline });

  client.title('Users report Tom for spreading rumours and making chaos');
  let caseId = '';
  for (const [reporter, category] of [
    ['alice', 'spreading_rumors'],
    ['bob', 'spreading_rumors'],
    ['carol', 'disruption'],
  ] as const) {
    const body = {
      world: 'plaza',
      handle: 'tom',
      category,
      reporter,
      description: 'Posts that the Plaza bank is insolvent, starting a run on it',
      evidence: [{ sha256: 'a'.repeat(64), uri: `https://evidence.plaza.example/${reporter}` }],
      occurredAt: new Date(host.now().getTime() - hourMs).toISOString(),
    };
    const filed = await client.step('POST', '/v1/reports', { token: t.platform, body, status: 202 }, (b) => {
      return `${reporter}'s report is in case ${b.caseId}`;
    });
    if (category === 'spreading_rumors') caseId = filed?.caseId;
  }

  client.title('The police ask for Tom’s identity with a warrant; oversight approves');
  const request = await client.step(
    'POST',
    '/v1/disclosures',
    {
      token: t.authority,
      status: 201,
      body: {
        target: { world: 'plaza', handle: 'tom' },
        scope: ['natural'],
        legalBasis: {
          kind: 'warrant',
          reference: 'W-2026-1187',
          issuedBy: 'Plaza Magistrates’ Court',
          expiresAt: isoAfter(host.now(), 90 * day),
        },
        offence: 'spreading_rumors',
        purpose: 'Identify the author of the bank-run rumours',
        // A disclosure rests on the case about Tom that the reports opened.
        case: caseId,
      },
    },
    (b) => `request ${b.id} on case ${caseId} is ${b.status}: the policy requires independent approval`,
  );
  await client.step(
    'POST',
    `/v1/disclosures/${request?.id}/approve`,
    { token: t.oversight, body: { reason: 'Warrant checked; scope limited to identity' }, status: 200 },
    (b) => `approved: ${b.status}`,
  );
  const read = await client.step(
    'GET',
    `/v1/disclosures/${request?.id}`,
    { token: t.authority, status: 200 },
    (b) =>
      `the authority reads: ${b.identity?.natural?.legalName}, born ${b.identity?.natural?.birthDate} (logged)`,
  );
  checkThat(client, read?.identity?.natural?.legalName === 'Tom Rivers', 'the disclosure names Tom');
  checkThat(client, read?.identity?.social === undefined, 'only the granted scope is disclosed');

  client.title('A moderator upholds the case: strikes, a suspension and a travel restriction');
  await client.step(
    'POST',
    `/v1/cases/${caseId}/decision`,
    {
      token: t.moderator,
      status: 200,
      body: {
        outcome: 'upheld',
        severity: 2,
        rationale: 'Repeated false claims that started a run on the Plaza bank',
        sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
      },
    },
    (b) => `case ${b.status}, ${b.decision.outcome} at severity ${b.decision.severity}`,
  );
  const credit = await client.step(
    'GET',
    `/v1/subjects/${tom}/credit`,
    { token: t.moderator, status: 200 },
    (b) => {
      return `Tom's score ${b.score}, grade ${b.grade} (was 1000, A)`;
    },
  );
  checkThat(client, credit?.score === 905 && credit?.grade === 'B', 'the score fell to 905, grade B');

  client.title('An airline checks Tom before selling him a ticket');
  const denied = await air();
  client.expect(
    denied,
    `allowed: ${denied.body.allowed}, reason: ${denied.body.reason}`,
    denied.body.allowed === false ? undefined : 'expected a denial',
  );

  client.title(
    'Tom signs in with his passkey and reads his record; after the gag period he sees who looked him up',
  );
  const signedIn = await cast.tomBrowser.signIn();
  client.expect(
    signedIn,
    `Tom signs in to mdis with his passkey: a session until ${signedIn.body?.expiresAt}`,
    signedIn.status === 201 ? undefined : 'the passkey sign-in failed',
  );
  const record = await cast.tomBrowser.call('GET', '/v1/me');
  client.expect(
    record,
    `${record.body?.cases?.length} case(s), ${record.body?.sanctions?.length} sanction(s), score ${record.body?.credit?.score} with ${record.body?.credit?.explanation?.contributions?.length} explained contributions`,
    record.status === 200 ? undefined : 'Tom could not read his record',
  );
  const early = await client.step('GET', '/v1/me/disclosures', { token: t.subject, status: 200 }, (b) => {
    return `${b.items.length} disclosure(s) visible during the gag`;
  });
  checkThat(client, early?.items?.length === 0, 'the disclosure stays hidden during the gag');
  host.advanceDays(15);
  await host.runPasses();
  const late = await client.step('GET', '/v1/me/disclosures', { token: t.subject, status: 200 }, (b) => {
    const d = b.items[0];
    return `15 days later: ${b.items.length} disclosure(s): ${d?.legalBasis} from ${d?.jurisdiction} for ${d?.offence}, read ${d?.reads} time(s)`;
  });
  checkThat(client, late?.items?.length === 1, 'the disclosure is shown after the gag');

  client.title('Tom appeals; the appeals desk (not the moderator who decided) overturns the decision');
  await client.step(
    'POST',
    `/v1/cases/${caseId}/appeal`,
    {
      token: t.subject,
      body: { reason: 'The bank had filed for insolvency: here is the filing' },
      status: 200,
    },
    (b) => `case ${b.status}`,
  );
  await client.step(
    'POST',
    `/v1/cases/${caseId}/appeal/decision`,
    { token: t.appeals, body: { outcome: 'overturned', rationale: 'The filing confirms it' }, status: 200 },
    (b) => `appeal ${b.appeal.status}: sanctions and strikes lifted`,
  );
  const allowed = await air();
  client.expect(
    allowed,
    `the airline may sell again: allowed ${allowed.body.allowed}`,
    allowed.body.allowed ? undefined : 'expected allowed',
  );
}

/** Checks on what came back beyond its status. */
export function checkThat(client: DemoClient, ok: boolean, claim: string): void {
  client.expect({ status: ok ? 200 : 0, body: claim }, `✓ ${claim}`, ok ? undefined : `not so: ${claim}`);
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { before, test } from 'node:test';
import { newNonce } from '../src/credentials/proof.ts';
import { inTransaction } from '../src/db/transaction.ts';
import type { Enrolment } from '../src/identity/attributes.ts';
import { type Role, requiredScope, roles } from '../src/principals/roles.ts';
import { dayMs } from '../src/util/time.ts';
import { report } from './_fixtures.ts';
import { rawBindingPolicyFile } from './_people.ts';
import { type CallOptions, forEachStore, personEnrolment } from './_util.ts';
import { signCompact, TestWallet } from './_wallet.ts';

// Every endpoint built so far × every caller: the allowed ones succeed, the others are refused
// with the one error shape and leave the store exactly as it was.

// Callers of a role whose scope differs from the one the requests are made for.
const otherWorld = 'platform of another world';
const otherSubject = 'another subject';
const otherActions = 'service without the action';
const unauthenticated = ['revoked token', 'no token', 'unknown token', 'malformed Authorization header'];
const callers = [...roles, otherWorld, otherSubject, otherActions, ...unauthenticated];
type Caller = Role | typeof otherWorld | typeof otherSubject | typeof otherActions;

/** What the requests need, ready once `before` has run. */
interface Fixtures {
  /** The subject of the `subject` caller, bound to `boundHandle` in the home world. */
  subject: string;
  /** A case about `subject`, for reads. */
  caseId: string;
  /** The rumours case about `boundHandle`, that disclosure requests name (issue 13). */
  rumourCase: string;
  /** A number not used before, for things that must be new (world ids, handles, principals). */
  fresh(): number;
  /** A live principal's id, created for this request. */
  newPrincipal(): Promise<string>;
  /** A new handle bound in the home world, to report from (a reporter must be a bound avatar). */
  newReporter(): Promise<string>;
  /** A new open case about `subject` (a report about an avatar bound for it). */
  openCase(): Promise<string>;
  /** A new case about `subject`, upheld at severity 1 and so open to appeal. */
  decidedCase(): Promise<string>;
  /** A new upheld case that `subject` has appealed. */
  appealedCase(): Promise<string>;
  /** A new pending appeal (of an upheld case) that `subject` filed through `POST /v1/appeals`. */
  pendingAppeal(): Promise<string>;
  /** A new active warning on `subject`. */
  activeSanction(): Promise<string>;
  /** A pending disclosure about `subject`, asked by the `authority` caller: reading it writes nothing. */
  disclosureId: string;
  /** A new pending disclosure about `subject`, asked by the `authority` caller. */
  pendingDisclosure(): Promise<string>;
  /** An admin other than the `admin` caller. */
  proposer: string;
  /** A new pending proposal (an auditor) by `proposer`. */
  pendingProposal(): Promise<string>;
  /** A new pending correction, by a new subject (one pending correction per field and subject). */
  pendingCorrection(): Promise<string>;
  /** A webhook subscription of the home world, for reading its deliveries. */
  subscriptionId: string;
  /** The `service` caller's own pseudonym for `subject` (as its sign-in gives it). */
  pseudonym: string;
  /** A live service principal's id, created for this request. */
  newService(): Promise<string>;
  /** A new credential offer for `subject`: its pre-authorized code and transaction code. */
  credentialOffer(): Promise<{ code: string; txCode: string }>;
  /** A credential request ready to send: a new access token and a proof with a fresh nonce. */
  credentialRequest(): Promise<{ accessToken: string; body: unknown; wallet: TestWallet }>;
  /** A newly enrolled subject, for closures. */
  newSubject(): Promise<string>;
  /** A new preservation order about `subject` by the `authority` caller. */
  newPreservation(): Promise<string>;
  /** The caller of the cell being run (a key binding is addressed to the calling service). */
  caller: string;
  /** The principal ids of the service callers. */
  serviceIds: Record<string, string>;
  /** A new credential of `subject`, presented key-bound to `aud` with a nonce mdis gave `aud`. */
  presentation(aud: string): Promise<string>;
}

interface Endpoint {
  method: string;
  route: string;
  allowed: readonly Caller[] | 'public';
  success: number;
  /** Whether a successful call adds to the store (a refused one never may). */
  writes: boolean;
  /**
   * A route that needs a passkey assertion besides the role: the allowed callers here (bearer
   * tokens, with no passkey) are let in at the role level and refused 403 passkey_required.
   */
  passkeyOnly?: true;
  /** Callers let in at the role level whose every item is refused in the answer: nothing written. */
  refusedPerItem?: readonly Caller[];
  /** A request that succeeds for an allowed caller; made anew for each cell. */
  request(f: Fixtures): Promise<MatrixRequest> | MatrixRequest;
}

/** A cell's request; `rawBody` and `headers` for the OAuth endpoints (form bodies, their own tokens). */
interface MatrixRequest {
  url: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

const preAuthorizedGrant = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const home = 'matrix-home';
const away = 'matrix-away';
const boundHandle = 'tom';
const moderators = ['moderator'] as const;
const caseReaders = ['moderator', 'admin'] as const;
const rationale = { rationale: 'Decided for the access matrix' };
const minuteAgo = () => new Date(Date.now() - 60_000).toISOString();
const disclosureReaders = ['authority', 'oversight', 'auditor'] as const;
const disclosureRequest = (rumourCase: string) => ({
  target: { world: home, handle: boundHandle },
  scope: ['natural'],
  legalBasis: {
    kind: 'warrant',
    reference: 'W-MATRIX',
    issuedBy: 'Matrix Court',
    expiresAt: new Date(Date.now() + 30 * dayMs).toISOString(),
  },
  offence: 'spreading_rumors',
  purpose: 'Asked for the access matrix',
  case: rumourCase,
});

const preservationOrder = (subject: string) => ({
  target: { subject },
  legalBasis: { kind: 'court_order', reference: 'CO-MATRIX', issuedBy: 'Matrix Court' },
  offence: 'spreading_rumors',
  days: 30,
});

const endpoints: Endpoint[] = [
  {
    method: 'POST',
    route: '/v1/subjects',
    allowed: ['registrar'],
    success: 201,
    writes: true,
    request: () => ({ url: '/v1/subjects', body: personEnrolment() }),
  },
  {
    method: 'GET',
    route: '/v1/subjects/:id',
    allowed: ['registrar', 'admin'],
    success: 200,
    // A logged read: the log entry and the subject's record of it.
    writes: true,
    request: (f) => ({ url: `/v1/subjects/${f.subject}?purpose=support` }),
  },
  {
    method: 'PATCH',
    route: '/v1/subjects/:id/attributes',
    allowed: ['registrar'],
    success: 200,
    writes: true,
    request: (f) => ({
      url: `/v1/subjects/${f.subject}/attributes`,
      body: { social: { occupation: `Occupation ${f.fresh()}` } },
    }),
  },
  {
    method: 'POST',
    route: '/v1/worlds',
    allowed: ['admin'],
    success: 201,
    writes: true,
    request: (f) => ({ url: '/v1/worlds', body: { id: `world-${f.fresh()}`, name: 'A world' } }),
  },
  {
    method: 'PUT',
    route: '/v1/worlds/:world/avatars/:handle',
    allowed: ['platform'],
    success: 201,
    writes: true,
    request: (f) => ({ url: `/v1/worlds/${home}/avatars/avatar-${f.fresh()}`, body: { subject: f.subject } }),
  },
  {
    method: 'GET',
    route: '/v1/worlds/:world/avatars/:handle',
    allowed: ['platform', 'admin'],
    success: 200,
    writes: false,
    request: () => ({ url: `/v1/worlds/${home}/avatars/${boundHandle}` }),
  },
  {
    method: 'GET',
    route: '/v1/worlds/:world/avatars',
    allowed: ['platform', 'admin'],
    success: 200,
    writes: false,
    request: () => ({ url: `/v1/worlds/${home}/avatars` }),
  },
  {
    method: 'GET',
    route: '/v1/worlds/:world/reports',
    allowed: ['platform', 'admin'],
    success: 200,
    writes: false,
    request: () => ({ url: `/v1/worlds/${home}/reports` }),
  },
  {
    method: 'GET',
    route: '/v1/worlds/:world/subscriptions/:id/deliveries',
    allowed: ['platform', 'admin'],
    success: 200,
    writes: false,
    request: (f) => ({ url: `/v1/worlds/${home}/subscriptions/${f.subscriptionId}/deliveries` }),
  },
  {
    method: 'POST',
    route: '/v1/principals',
    allowed: ['admin'],
    success: 201,
    writes: true,
    // A role created at once: an overseeing one is a proposal (below).
    request: () => ({ url: '/v1/principals', body: { role: 'registrar' } }),
  },
  {
    method: 'GET',
    route: '/v1/principals',
    allowed: ['admin'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/principals?limit=5' }),
  },
  {
    method: 'POST',
    route: '/v1/principals/:id/revoke',
    allowed: ['admin'],
    success: 200,
    writes: true,
    request: async (f) => ({ url: `/v1/principals/${await f.newPrincipal()}/revoke` }),
  },
  // Conduct
  {
    method: 'POST',
    route: '/v1/reports',
    allowed: ['platform'],
    success: 202,
    writes: true,
    request: async (f) => ({ url: '/v1/reports', body: report(home, await f.newReporter()) }),
  },
  {
    method: 'POST',
    route: '/v1/events',
    allowed: ['platform'],
    success: 200,
    writes: true,
    // The role is checked for the batch, the world for each event (see conduct-bad-input).
    refusedPerItem: [otherWorld],
    request: (f) => ({
      url: '/v1/events',
      body: {
        events: [
          {
            id: `event-${f.fresh()}`,
            world: home,
            handle: boundHandle,
            category: 'helping_others',
            severity: 1,
            occurredAt: minuteAgo(),
          },
        ],
      },
    }),
  },
  {
    method: 'GET',
    route: '/v1/cases',
    allowed: caseReaders,
    success: 200,
    writes: false,
    request: () => ({ url: `/v1/cases?status=open&world=${home}&limit=5` }),
  },
  {
    method: 'GET',
    route: '/v1/cases/:id',
    allowed: caseReaders,
    success: 200,
    writes: false,
    request: (f) => ({ url: `/v1/cases/${f.caseId}` }),
  },
  {
    method: 'POST',
    route: '/v1/cases/:id/decision',
    allowed: moderators,
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/cases/${await f.openCase()}/decision`,
      body: { outcome: 'upheld', severity: 1, ...rationale },
    }),
  },
  {
    method: 'POST',
    route: '/v1/cases/:id/appeal',
    allowed: ['subject'],
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/cases/${await f.decidedCase()}/appeal`,
      body: { reason: 'I was not there' },
    }),
  },
  {
    method: 'POST',
    route: '/v1/cases/:id/appeal/decision',
    allowed: moderators,
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/cases/${await f.appealedCase()}/appeal/decision`,
      body: { outcome: 'overturned', ...rationale },
    }),
  },
  // Appeals (issue 14)
  {
    method: 'POST',
    route: '/v1/appeals',
    allowed: ['subject'],
    success: 201,
    writes: true,
    request: async (f) => ({
      url: '/v1/appeals',
      body: { target: { kind: 'case', id: await f.decidedCase() }, reason: 'I was not there' },
    }),
  },
  {
    method: 'GET',
    route: '/v1/appeals',
    allowed: ['moderator', 'oversight'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/appeals' }),
  },
  {
    method: 'POST',
    route: '/v1/appeals/:id/decision',
    // Oversight passes the route's roles but hears disclosures only: a conduct appeal is 403 to it.
    allowed: moderators,
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/appeals/${await f.pendingAppeal()}/decision`,
      body: { outcome: 'upheld', ...rationale },
    }),
  },
  // Enforcement
  {
    method: 'POST',
    route: '/v1/sanctions',
    allowed: moderators,
    success: 201,
    writes: true,
    request: (f) => ({
      url: '/v1/sanctions',
      body: { subject: f.subject, kind: 'warning', reason: 'Warned for the access matrix' },
    }),
  },
  {
    method: 'POST',
    route: '/v1/sanctions/:id/lift',
    allowed: moderators,
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/sanctions/${await f.activeSanction()}/lift`,
      body: { reason: 'Lifted for the access matrix' },
    }),
  },
  {
    method: 'GET',
    route: '/v1/sanctions',
    allowed: caseReaders,
    success: 200,
    writes: false,
    request: (f) => ({ url: `/v1/sanctions?subject=${f.subject}&limit=5` }),
  },
  // A service checks only the actions it holds; a platform world actions only, in its own world
  // (see conduct-flow), so travel.air is refused to it.
  {
    method: 'GET',
    route: '/v1/eligibility',
    allowed: ['service'],
    success: 200,
    writes: false,
    request: (f) => ({ url: `/v1/eligibility?subject=${f.subject}&action=travel.air` }),
  },
  {
    method: 'POST',
    route: '/v1/eligibility',
    allowed: ['service', 'platform', otherWorld],
    success: 200,
    writes: false,
    // A batch answers each check: one outside the caller's actions is refused in its item.
    refusedPerItem: [otherActions, 'platform', otherWorld],
    request: (f) => ({
      url: '/v1/eligibility',
      body: { checks: [{ subject: f.subject, action: 'travel.air' }] },
    }),
  },
  // By the service's own pseudonym (issue 16): a service only; a platform has none.
  {
    method: 'GET',
    route: '/v1/eligibility (by pseudonym)',
    allowed: ['service'],
    success: 200,
    writes: false,
    request: (f) => ({ url: `/v1/eligibility?pseudonym=${f.pseudonym}&action=travel.air` }),
  },
  {
    method: 'POST',
    route: '/v1/eligibility (by pseudonym)',
    allowed: ['service', 'platform', otherWorld],
    success: 200,
    writes: false,
    refusedPerItem: [otherActions, 'platform', otherWorld],
    request: (f) => ({
      url: '/v1/eligibility',
      body: { checks: [{ pseudonym: f.pseudonym, action: 'travel.air' }] },
    }),
  },
  {
    method: 'PUT',
    route: '/v1/principals/:id/oidc-client',
    allowed: ['admin'],
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/principals/${await f.newService()}/oidc-client`,
      body: { redirectUris: ['https://airline.example/callback'] },
    }),
  },
  {
    method: 'GET',
    route: '/v1/me',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/me' }),
  },
  // Lawful access
  {
    method: 'POST',
    route: '/v1/disclosures',
    allowed: ['authority'],
    success: 201,
    writes: true,
    request: (f) => ({ url: '/v1/disclosures', body: disclosureRequest(f.rumourCase) }),
  },
  ...(['approve', 'refuse'] as const).map(
    (verdict): Endpoint => ({
      method: 'POST',
      route: `/v1/disclosures/:id/${verdict}`,
      allowed: ['oversight'],
      success: 200,
      writes: true,
      request: async (f) => ({
        url: `/v1/disclosures/${await f.pendingDisclosure()}/${verdict}`,
        body: { reason: `${verdict} for the access matrix` },
      }),
    }),
  ),
  {
    method: 'GET',
    route: '/v1/disclosures/:id',
    allowed: disclosureReaders,
    success: 200,
    writes: false,
    request: (f) => ({ url: `/v1/disclosures/${f.disclosureId}` }),
  },
  {
    method: 'GET',
    route: '/v1/disclosures',
    allowed: disclosureReaders,
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/disclosures?limit=5' }),
  },
  {
    method: 'GET',
    route: '/v1/me/disclosures',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/me/disclosures' }),
  },
  {
    method: 'GET',
    route: '/v1/me/access',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/me/access' }),
  },
  {
    method: 'GET',
    route: '/v1/policy/read-purposes',
    allowed: ['registrar', 'admin'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/policy/read-purposes' }),
  },
  // Two admins for the overseeing roles
  {
    method: 'POST',
    route: '/v1/principals (an overseeing role: a proposal)',
    allowed: ['admin'],
    success: 202,
    writes: true,
    request: () => ({ url: '/v1/principals', body: { role: 'oversight' } }),
  },
  {
    method: 'GET',
    route: '/v1/principal-proposals',
    allowed: ['admin'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/principal-proposals?limit=5' }),
  },
  {
    method: 'GET',
    route: '/v1/principal-proposals/:id',
    allowed: ['admin'],
    success: 200,
    writes: false,
    request: async (f) => ({ url: `/v1/principal-proposals/${await f.pendingProposal()}` }),
  },
  {
    method: 'POST',
    route: '/v1/principal-proposals/:id/approve',
    allowed: ['admin'],
    success: 200,
    writes: true,
    request: async (f) => ({ url: `/v1/principal-proposals/${await f.pendingProposal()}/approve` }),
  },
  {
    method: 'POST',
    route: '/v1/principal-proposals/:id/refuse',
    allowed: ['admin'],
    success: 200,
    writes: true,
    request: async (f) => ({ url: `/v1/principal-proposals/${await f.pendingProposal()}/refuse` }),
  },
  // The person's export (issue 15): a log entry each, so it writes.
  {
    method: 'GET',
    route: '/v1/me/export',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: true,
    request: () => ({ url: '/v1/me/export' }),
  },
  // The person's own data (issue 15)
  {
    method: 'GET',
    route: '/v1/me/profile',
    allowed: ['subject', otherSubject],
    success: 200,
    // The person's own read: not a staff read, not logged.
    writes: false,
    request: () => ({ url: '/v1/me/profile' }),
  },
  {
    method: 'POST',
    route: '/v1/me/corrections',
    allowed: ['subject', otherSubject],
    success: 201,
    writes: true,
    request: (f) => ({
      url: '/v1/me/corrections',
      body: { field: 'social.employer', value: `Employer ${f.fresh()}`, reason: 'I changed jobs' },
    }),
  },
  {
    method: 'GET',
    route: '/v1/me/corrections',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/me/corrections' }),
  },
  {
    method: 'GET',
    route: '/v1/corrections',
    allowed: ['registrar'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/corrections?status=pending&limit=5' }),
  },
  {
    method: 'GET',
    route: '/v1/corrections/:id',
    allowed: ['registrar'],
    success: 200,
    // A logged read of the profile (purpose correction).
    writes: true,
    request: async (f) => ({ url: `/v1/corrections/${await f.pendingCorrection()}` }),
  },
  {
    method: 'POST',
    route: '/v1/corrections/:id/accept',
    allowed: ['registrar'],
    success: 200,
    writes: true,
    request: async (f) => ({ url: `/v1/corrections/${await f.pendingCorrection()}/accept` }),
  },
  {
    method: 'POST',
    route: '/v1/corrections/:id/refuse',
    allowed: ['registrar'],
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/corrections/${await f.pendingCorrection()}/refuse`,
      body: { reason: 'Refused for the access matrix' },
    }),
  },
  // Credentials (issue 16): the person's offers and list; the wallet's OAuth endpoints are public
  // (the pre-authorized code and the access token are their authorization), as are the issuer's
  // metadata, keys and status lists.
  {
    method: 'POST',
    route: '/v1/me/credentials/offers',
    allowed: ['subject', otherSubject],
    success: 201,
    writes: true,
    request: () => ({ url: '/v1/me/credentials/offers', body: { configurations: ['mdis_identity'] } }),
  },
  {
    method: 'GET',
    route: '/v1/me/credentials',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/me/credentials' }),
  },
  {
    method: 'POST',
    route: '/v1/credentials/token',
    allowed: 'public',
    success: 200,
    writes: true,
    request: async (f) => {
      const { code, txCode } = await f.credentialOffer();
      const form = { grant_type: preAuthorizedGrant, 'pre-authorized_code': code, tx_code: txCode };
      return {
        url: '/v1/credentials/token',
        rawBody: new URLSearchParams(form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    },
  },
  {
    method: 'POST',
    route: '/v1/credentials/nonce',
    allowed: 'public',
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/credentials/nonce' }),
  },
  {
    method: 'POST',
    route: '/v1/credentials/credential',
    allowed: 'public',
    success: 200,
    writes: true,
    request: async (f) => {
      const { accessToken, body } = await f.credentialRequest();
      return {
        url: '/v1/credentials/credential',
        rawBody: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      };
    },
  },
  ...[
    '/v1/credentials/status/1',
    '/.well-known/openid-credential-issuer',
    '/.well-known/oauth-authorization-server/v1/credentials',
    '/.well-known/jwt-vc-issuer',
    '/.well-known/jwks.json',
    '/.well-known/did.json',
  ].map(
    (route): Endpoint => ({
      method: 'GET',
      route: route.replace(/\/1$/, '/:list'),
      allowed: 'public',
      success: 200,
      writes: false,
      request: () => ({ url: route }),
    }),
  ),
  // A service trades a credential presented to it for its pseudonym (issue 16): any service, its
  // actions aside; the presentation is addressed to the caller (the service's, for the others).
  {
    method: 'POST',
    route: '/v1/pseudonyms/nonce',
    allowed: ['service', otherActions],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/pseudonyms/nonce' }),
  },
  {
    method: 'POST',
    route: '/v1/pseudonyms',
    allowed: ['service', otherActions],
    success: 200,
    writes: true,
    request: async (f) => ({
      url: '/v1/pseudonyms',
      body: { presentation: await f.presentation(f.serviceIds[f.caller] ?? f.serviceIds.service!) },
    }),
  },
  // Erasure and preservation (issue 15). The matrix's policy lets nothing but a preservation hold
  // an erasure, and the erasures are asked before any preservation is ordered.
  {
    method: 'POST',
    route: '/v1/me/erasure',
    allowed: ['subject', otherSubject],
    success: 202,
    writes: true,
    request: () => ({ url: '/v1/me/erasure' }),
  },
  {
    method: 'GET',
    route: '/v1/me/erasure',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/me/erasure' }),
  },
  {
    method: 'POST',
    route: '/v1/subjects/:id/closure',
    allowed: ['registrar'],
    success: 202,
    writes: true,
    request: async (f) => ({
      url: `/v1/subjects/${await f.newSubject()}/closure`,
      body: { reason: 'death' },
    }),
  },
  {
    method: 'POST',
    route: '/v1/preservations',
    allowed: ['authority'],
    success: 201,
    writes: true,
    request: (f) => ({ url: '/v1/preservations', body: preservationOrder(f.subject) }),
  },
  {
    method: 'POST',
    route: '/v1/preservations/:id/extend',
    allowed: ['authority'],
    success: 200,
    writes: true,
    request: async (f) => ({
      url: `/v1/preservations/${await f.newPreservation()}/extend`,
      body: { days: 10 },
    }),
  },
  {
    method: 'GET',
    route: '/v1/preservations',
    allowed: disclosureReaders,
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/preservations' }),
  },
  // The names of who acted, for the staff screens that show it (issue 17).
  {
    method: 'GET',
    route: '/v1/principals/names',
    allowed: ['admin', 'registrar', 'moderator', 'authority', 'oversight', 'auditor'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/principals/names?ids=prn_0000000000000000' }),
  },
  ...['/healthz', '/metrics', '/openapi.json', '/docs', '/v1/transparency/report', '/v1/policy'].map(
    (route): Endpoint => ({
      method: 'GET',
      route,
      allowed: 'public',
      success: 200,
      writes: false,
      request: () => ({ url: route }),
    }),
  ),
  // The public log that links no one (issue 13): entries public, openings to the person and auditors.
  {
    method: 'GET',
    route: '/v1/log/entries',
    allowed: 'public',
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/log/entries?start=0&end=5' }),
  },
  {
    method: 'GET',
    route: '/v1/me/log',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/me/log?limit=5' }),
  },
  {
    method: 'GET',
    route: '/v1/log/openings',
    allowed: ['auditor'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/log/openings?start=0&end=5' }),
  },
  {
    method: 'GET',
    route: '/v1/log/entries/full',
    allowed: ['auditor'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/log/entries/full?start=0&end=5' }),
  },
  // The person's lock (issue 15): last, as it leaves the subject locked.
  {
    method: 'POST',
    route: '/v1/me/lock',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: true,
    request: () => ({ url: '/v1/me/lock' }),
  },
  {
    method: 'POST',
    route: '/v1/me/unlock/options',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: true,
    passkeyOnly: true,
    request: () => ({ url: '/v1/me/unlock/options' }),
  },
  {
    method: 'POST',
    route: '/v1/me/unlock',
    allowed: ['subject', otherSubject],
    success: 200,
    writes: true,
    passkeyOnly: true,
    request: () => ({
      url: '/v1/me/unlock',
      body: { credential: { id: 'x', rawId: 'x', type: 'public-key', response: {} } },
    }),
  },
];

/** The raw binding on, and erasures held by nothing but a preservation order (see above). */
function matrixPolicyFile(): string {
  const file = rawBindingPolicyFile();
  const policy = JSON.parse(fs.readFileSync(file, 'utf8'));
  policy.retention = { ...policy.retention, blockedBy: [] };
  fs.writeFileSync(file, JSON.stringify(policy));
  return file;
}

function expectedStatus(endpoint: Endpoint, caller: string): number {
  if (endpoint.allowed === 'public') return endpoint.success;
  if (unauthenticated.includes(caller)) return 401;
  if (endpoint.refusedPerItem?.includes(caller as Caller)) return endpoint.success;
  if (endpoint.passkeyOnly === true) return 403;
  return (endpoint.allowed as readonly string[]).includes(caller) ? endpoint.success : 403;
}

// With the migration-only raw binding on, so that its route (closed by default) is in the matrix.
forEachStore(
  'access matrix',
  (h) => {
    const auth: Record<string, CallOptions> = {};
    let counter = 0;
    const fixtures: Fixtures = {
      subject: '',
      caseId: '',
      rumourCase: '',
      disclosureId: '',
      proposer: '',
      pseudonym: '',
      subscriptionId: '',
      caller: '',
      serviceIds: {},
      async presentation(aud) {
        const { accessToken, body, wallet } = await fixtures.credentialRequest();
        const issued = await h.ctx.credentials.issue(`Bearer ${accessToken}`, body);
        const { nonce } = h.ctx.presentations.nonce(aud);
        const iat = Math.floor(Date.now() / 1000);
        return wallet.present(issued.credentials[0]!.credential, [], { aud, nonce, iat });
      },
      fresh: () => ++counter,
      newService: async () =>
        (await h.ctx.principals.create({ role: 'service', actions: ['travel.air'] })).principal.id,
      newPrincipal: async () => (await h.ctx.principals.create({ role: 'registrar' })).principal.id,
      async pendingProposal() {
        // By an admin other than the `admin` caller, who may then decide it.
        const made = await h.ctx.principalProposals.create({ role: 'auditor' }, fixtures.proposer);
        return (made as { proposal: { id: string } }).proposal.id;
      },
      async credentialOffer() {
        const made = await h.ctx.credentials.offers.create(fixtures.subject, {
          configurations: ['mdis_identity'],
          withGrade: false,
        });
        const grant = made.offer.grants as Record<string, { 'pre-authorized_code': string }>;
        return { code: grant[preAuthorizedGrant]!['pre-authorized_code'], txCode: made.txCode };
      },
      async credentialRequest() {
        const { code, txCode } = await fixtures.credentialOffer();
        const form = { grant_type: preAuthorizedGrant, 'pre-authorized_code': code, tx_code: txCode };
        const { accessToken } = await h.ctx.credentials.offers.redeem(form);
        const wallet = new TestWallet({ now: () => new Date() });
        const proof = signCompact(
          { typ: 'openid4vci-proof+jwt', alg: 'EdDSA', jwk: wallet.publicJwk },
          {
            aud: h.ctx.credentials.issuer(),
            iat: Math.floor(Date.now() / 1000),
            nonce: newNonce(h.ctx.keyring, new Date()),
          },
          wallet.privateKey,
        );
        return {
          accessToken,
          body: { credential_configuration_id: 'mdis_identity', proofs: { jwt: [proof] } },
          wallet,
        };
      },
      async newReporter() {
        const handle = `reporter-${fixtures.fresh()}`;
        await h.ctx.avatars.bind({ world: home, handle, subject: fixtures.subject }, 'test');
        return handle;
      },
      async openCase() {
        // One case is open per avatar and category: a new avatar gets a new case.
        const handle = `case-${fixtures.fresh()}`;
        await h.ctx.avatars.bind({ world: home, handle, subject: fixtures.subject }, 'test');
        const reporter = await fixtures.newReporter();
        return (await h.ctx.reports.file({ ...report(home, reporter), handle }, 'test')).caseId;
      },
      async decidedCase() {
        const id = await fixtures.openCase();
        await h.ctx.decisions.decide(id, { outcome: 'upheld', severity: 1, ...rationale }, 'test');
        return id;
      },
      async appealedCase() {
        const id = await fixtures.decidedCase();
        await h.ctx.decisions.appeal(id, 'I was not there', fixtures.subject, 'test');
        return id;
      },
      async pendingAppeal() {
        const target = { kind: 'case' as const, id: await fixtures.decidedCase() };
        return (await h.ctx.appeals.file({ target, reason: 'I was not there' }, fixtures.subject, 'test')).id;
      },
      async activeSanction() {
        const input = {
          subject: fixtures.subject,
          kind: 'warning',
          reason: 'Warned',
          source: 'manual',
        } as const;
        return (await h.ctx.sanctions.impose(input, 'test')).id;
      },
      async pendingCorrection() {
        const enrolled = await h.ctx.subjects.enrol(personEnrolment() as Enrolment, 'test');
        const input = { field: 'social.occupation', value: 'Baker', reason: 'I bake now' };
        return (await h.ctx.corrections.propose(enrolled.id, input, 'test')).id;
      },
      async newSubject() {
        const enrolled = await h.call('POST', '/v1/subjects', { ...auth.registrar, body: personEnrolment() });
        assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
        return enrolled.body.id;
      },
      async newPreservation() {
        const ordered = await h.call('POST', '/v1/preservations', {
          ...auth.authority,
          body: preservationOrder(fixtures.subject),
        });
        assert.equal(ordered.status, 201, JSON.stringify(ordered.body));
        return ordered.body.id;
      },
      async pendingDisclosure() {
        const asked = await h.call('POST', '/v1/disclosures', {
          ...auth.authority,
          body: disclosureRequest(fixtures.rumourCase),
        });
        assert.equal(asked.status, 201, JSON.stringify(asked.body));
        return asked.body.id;
      },
    };

    before(async () => {
      const setup = await h.token({ role: 'registrar' });
      const enrolled = await h.call('POST', '/v1/subjects', { token: setup, body: personEnrolment() });
      assert.equal(enrolled.status, 201);
      fixtures.subject = enrolled.body.id;
      await h.ctx.worlds.create({ id: home, name: 'Home' }, 'test');
      await h.ctx.worlds.create({ id: away, name: 'Away' }, 'test');
      await h.ctx.avatars.bind({ world: home, handle: boundHandle, subject: fixtures.subject }, 'test');
      fixtures.caseId = await fixtures.openCase();
      const reporter = await fixtures.newReporter();
      fixtures.rumourCase = (
        await h.ctx.reports.file({ ...report(home, reporter), handle: boundHandle }, 'test')
      ).caseId;
      const other = await h.call('POST', '/v1/subjects', { token: setup, body: personEnrolment() });
      assert.equal(other.status, 201);

      const scopes = {
        world: { world: home },
        actions: { actions: ['travel.air'] },
        jurisdiction: { jurisdiction: 'GB' },
        subject: { subject: fixtures.subject },
      };
      for (const role of roles) {
        const scope = requiredScope[role];
        auth[role] = { token: await h.token({ role, ...(scope === undefined ? {} : scopes[scope]) }) };
      }
      // The service caller has signed the subject in: it knows them by its own pseudonym.
      const service = await h.ctx.principals.create({ role: 'service', ...scopes.actions });
      auth.service = { token: service.token };
      fixtures.pseudonym = await inTransaction(h.ctx.db, (tx) =>
        h.ctx.servicePseudonyms.record(
          tx,
          { service: service.principal.id, subject: fixtures.subject },
          'test',
        ),
      );
      auth[otherWorld] = { token: await h.token({ role: 'platform', world: away }) };
      auth[otherSubject] = { token: await h.token({ role: 'subject', subject: other.body.id }) };
      const rail = await h.ctx.principals.create({ role: 'service', actions: ['travel.rail'] });
      auth[otherActions] = { token: rail.token };
      fixtures.serviceIds = { service: service.principal.id, [otherActions]: rail.principal.id };

      const revoked = await h.ctx.principals.create({ role: 'admin' });
      await h.ctx.principals.revoke(revoked.principal.id);
      auth['revoked token'] = { token: revoked.token };
      auth['no token'] = {};
      auth['unknown token'] = { token: `mdis_${randomBytes(32).toString('base64url')}` };
      // A live admin token under the wrong scheme: the header's form is checked, not just the token.
      const admin = await h.token({ role: 'admin' });
      auth['malformed Authorization header'] = { headers: { authorization: `Token ${admin}` } };
      fixtures.proposer = (await h.ctx.principals.create({ role: 'admin' })).principal.id;
      fixtures.disclosureId = await fixtures.pendingDisclosure();
      const subscribed = await h.ctx.subscriptions.create(
        { world: home, url: 'https://hooks.example/matrix', events: ['case.decided'] },
        'test',
      );
      fixtures.subscriptionId = subscribed.subscription.id;
      // Status list 1, as the first credential issued would make it.
      await h.ctx.db
        .insertInto('credential_status_lists')
        .values({ id: 1, size: 1 << 17, allocated: 0 })
        .execute();
    });

    for (const endpoint of endpoints) {
      for (const caller of callers) {
        const expected = expectedStatus(endpoint, caller);
        const perItem = endpoint.refusedPerItem?.includes(caller as Caller) === true;
        const outcome = `${expected}${perItem ? ', its item refused' : ''}`;
        test(`${endpoint.method} ${endpoint.route} as ${caller} → ${outcome}`, async () => {
          fixtures.caller = caller;
          const { url, body, rawBody, headers } = await endpoint.request(fixtures);
          const before = await h.snapshot();
          const own = auth[caller];
          const reply = await h.call(endpoint.method, url, {
            ...own,
            body,
            rawBody,
            // The wallet's own Authorization (its access token) wins over the caller's.
            headers: { ...own?.headers, ...headers },
            ...(headers?.authorization === undefined ? {} : { token: undefined }),
          });
          assert.equal(reply.status, expected, JSON.stringify(reply.body));
          const after = await h.snapshot();
          if (perItem) {
            assert.equal(reply.body.results.length, 1);
            assert.equal(reply.body.results[0].error, 'forbidden', JSON.stringify(reply.body));
            assert.equal(after, before, 'a refused item was written');
            return;
          }
          if (expected < 300) {
            assert.equal(
              after !== before,
              endpoint.writes,
              endpoint.writes ? 'nothing written' : 'a read wrote',
            );
            return;
          }
          assert.deepEqual(Object.keys(reply.body).sort(), ['error', 'message']);
          const passkeyRequired =
            endpoint.passkeyOnly === true && endpoint.allowed.includes(caller as Caller);
          const code = passkeyRequired ? 'passkey_required' : 'forbidden';
          assert.equal(reply.body.error, expected === 401 ? 'unauthenticated' : code);
          assert.equal(typeof reply.body.message, 'string');
          assert.ok(reply.body.message.length > 0, 'the message is empty');
          assert.equal(after, before, 'a refused call wrote to the store');
        });
      }
    }
  },
  // Hundreds of bad tokens from one address, on purpose: the failed-authentication limit (its own
  // test is in floods.test.ts) would answer them 429 instead of the 401 under test here.
  {
    config: {
      authFailureLimit: { perSecond: 1_000_000, burst: 1_000_000 },
      policyFile: matrixPolicyFile(),
    },
  },
);

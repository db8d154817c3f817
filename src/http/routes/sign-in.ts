import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { PrincipalRecord } from '../../api/principals.ts';
import type { StartedSession } from '../../auth/passkey-service.ts';
import { sessionOf } from '../../auth/session-auth.ts';
import { readCookie, sessionCookie } from '../../auth/session-service.ts';
import type { AppContext } from '../../context.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { roles } from '../../principals/roles.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { DigitalIdParam, responses } from '../schemas.ts';

/** A PublicKeyCredential as the browser serialises it; @simplewebauthn checks its fields. */
export const Credential = Type.Object(
  {
    id: Type.String({ maxLength: 1024 }),
    rawId: Type.String({ maxLength: 1024 }),
    type: Type.Literal('public-key'),
    response: Type.Record(Type.String(), Type.Unknown()),
    clientExtensionResults: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    authenticatorAttachment: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const Options = Type.Record(Type.String(), Type.Unknown(), {
  description: 'WebAuthn options for the browser',
});
const Code = Type.String({ minLength: 1, maxLength: 64, description: 'the activation code, as given' });
const SessionBody = Type.Object({
  principal: PrincipalRecord,
  csrfToken: Type.String({ description: 'send it as x-csrf-token on every write with this session' }),
  expiresAt: Type.String(),
  recoveryCodeIssuedAt: Type.Optional(
    Type.String({ description: 'a registrar issued a recovery code since your last sign-in' }),
  ),
});

const everyone = roles;
const registrar = ['registrar'] as const;

/** Activation, passkey sign-in and the person's session (issue 12). */
export function signInRoutes(app: Api, ctx: AppContext): void {
  activationOptions(app, ctx);
  activate(app, ctx);
  issueRecoveryCode(app, ctx);
  signInOptions(app, ctx);
  signIn(app, ctx);
  readSession(app);
  currentSession(app, ctx);
  signOut(app, ctx);
  signOutEverywhere(app, ctx);
}

function activationOptions(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/activation/options',
    {
      schema: {
        tags: ['sign-in'],
        summary:
          'Passkey registration options for the person an activation code names (the code stays unused)',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: responses({ 200: Options }),
      },
    },
    async (request) => ctx.passkeys.beginActivation(request.body.code),
  );
}

function activate(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/activation',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Use an activation code: register the first passkey and sign in',
        body: Type.Object({ code: Code, credential: Credential }, { additionalProperties: false }),
        response: responses({ 201: SessionBody }),
      },
    },
    async (request, reply) => {
      const started = await ctx.passkeys.finishActivation(
        request.body.code,
        request.body.credential as never,
      );
      return reply.status(201).send(await startSession(ctx, reply, started));
    },
  );
}

function issueRecoveryCode(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/subjects/:id/activation-code',
    {
      config: { roles: registrar },
      schema: {
        tags: ['sign-in'],
        summary:
          'A recovery activation code for a person who lost their passkeys (after re-checking the document); logged, and the person is told',
        params: Type.Object({ id: DigitalIdParam }),
        response: responses({
          201: Type.Object({ code: Type.String(), expiresAt: Type.String(), link: Type.String() }),
        }),
      },
    },
    async (request, reply) => {
      const issued = await ctx.activation.issueForRecovery(
        parseDigitalId(request.params.id),
        caller(request).id,
      );
      return reply.status(201).send({ ...issued, link: ctx.activationLink(issued.code) });
    },
  );
}

function signInOptions(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/session/options',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Passkey sign-in options (discoverable credentials, user verification required)',
        response: responses({ 200: Options }),
      },
    },
    async () => ctx.passkeys.beginSignIn(),
  );
}

function signIn(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/session',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Sign in with a passkey: sets the session cookie (HttpOnly, SameSite=Strict)',
        body: Type.Object({ credential: Credential }, { additionalProperties: false }),
        response: responses({ 201: SessionBody }),
      },
    },
    async (request, reply) => {
      const started = await ctx.passkeys.finishSignIn(request.body.credential as never);
      return reply.status(201).send(await startSession(ctx, reply, started));
    },
  );
}

function readSession(app: Api): void {
  app.get(
    '/v1/session',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'The session of the cookie sent: who, until when, and its CSRF token',
        response: responses({ 200: SessionBody }),
      },
    },
    async (request) => {
      const session = request.session;
      if (session === undefined) return { principal: caller(request), csrfToken: '', expiresAt: '' };
      return { principal: session.principal, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  );
}

function currentSession(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/session/current',
    {
      schema: {
        tags: ['sign-in'],
        summary:
          'The session of the cookie sent, or none (200 either way: a page asks before anyone signed in)',
        response: responses({ 200: Type.Object({ session: Type.Union([SessionBody, Type.Null()]) }) }),
      },
    },
    async (request) => {
      const session = await sessionOf(request, ctx.sessions);
      if (session === undefined) return { session: null };
      return {
        session: { principal: session.principal, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
      };
    },
  );
}

function signOut(app: Api, ctx: AppContext): void {
  app.delete(
    '/v1/session',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'Sign out: ends this session',
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      const cookie = readCookie(request.headers.cookie, sessionCookie);
      if (cookie !== undefined) await ctx.sessions.end(cookie);
      return reply.header('set-cookie', ctx.sessions.cookieHeader(undefined)).status(204).send(null);
    },
  );
}

function signOutEverywhere(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/session/end-all',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'Sign out everywhere: ends every session of the caller',
        description:
          'With `keep=current`, every session but the one of the cookie sent, which stays signed in.',
        querystring: Type.Object(
          { keep: Type.Optional(Type.Literal('current')) },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ ended: Type.Integer() }) }),
      },
    },
    async (request, reply) => {
      const cookie = readCookie(request.headers.cookie, sessionCookie);
      const keep = request.query.keep === 'current' && request.session !== undefined ? cookie : undefined;
      const ended = await ctx.sessions.endAll(caller(request).id, undefined, keep);
      if (keep === undefined) reply.header('set-cookie', ctx.sessions.cookieHeader(undefined));
      return { ended };
    },
  );
}

/** Sets the session cookie and answers with the principal and the session's CSRF token. */
async function startSession(ctx: AppContext, reply: FastifyReply, started: StartedSession) {
  reply.header('set-cookie', ctx.sessions.cookieHeader(started.cookie));
  const principal = await ctx.principals.get(started.principalId);
  return {
    principal,
    csrfToken: started.csrfToken,
    expiresAt: started.expiresAt,
    ...(started.recoveryCodeIssuedAt === undefined
      ? {}
      : { recoveryCodeIssuedAt: started.recoveryCodeIssuedAt }),
  };
}

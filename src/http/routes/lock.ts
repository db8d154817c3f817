import Type from 'typebox';
import { LockState } from '../../api/lock.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';
import { Credential } from './sign-in.ts';

const subject = ['subject'] as const;

/**
 * The person locks the use of its identity and unlocks it with a passkey (issue 15 item 4). There
 * is no route for anyone else to lock a person: every other role gets 403 here.
 */
export function lockRoutes(app: Api, ctx: AppContext): void {
  lock(app, ctx);
  unlockOptions(app, ctx);
  unlock(app, ctx);
}

function lock(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/me/lock',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary:
          'Lock the use of your identity: no sign-in at worlds, no new avatar bindings, no new credentials; 409 identity_locked if it is',
        description:
          'A lock never hides you from sanctions, eligibility checks, reports and cases, lawful disclosures or staff reads, ' +
          'and your existing bindings keep working. Unlock with a passkey (POST /v1/me/unlock/options, then /v1/me/unlock).',
        response: responses({ 200: LockState }),
      },
    },
    async (request) => ctx.locks.lock(caller(request)),
  );
}

function unlockOptions(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/me/unlock/options',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary:
          'Passkey authentication options whose challenge is bound to unlocking your identity; 403 passkey_required without a passkey',
        response: responses({ 200: Type.Record(Type.String(), Type.Unknown()) }),
      },
    },
    async (request) => ctx.passkeys.beginConfirmation(caller(request).id, 'unlock'),
  );
}

function unlock(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/me/unlock',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary:
          'Unlock your identity with a fresh passkey assertion answering an unlock challenge (401 passkey_refused otherwise)',
        description:
          'A bearer token alone cannot unlock: a principal with no passkey gets 403 passkey_required. ' +
          'Lost every passkey? A registrar issues a recovery activation code; register a new passkey with it, then unlock.',
        body: Type.Object({ credential: Credential }, { additionalProperties: false }),
        response: responses({ 200: LockState }),
      },
    },
    async (request) => {
      const principal = caller(request);
      const credential = request.body.credential as never;
      return ctx.locks.unlock(principal, (tx) =>
        ctx.passkeys.confirm(tx, principal.id, 'unlock', credential),
      );
    },
  );
}

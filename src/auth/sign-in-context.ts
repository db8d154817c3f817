import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { AttributeVault } from '../identity/attribute-vault.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { ServicePseudonymService } from '../identity/service-pseudonyms.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { WorldService } from '../identity/world-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Notifier } from '../notify/notifier.ts';
import { BindingService } from '../oidc/binding-service.ts';
import { OidcService } from '../oidc/oidc-service.ts';
import type { PrincipalService } from '../principals/principal-service.ts';
import type { LockService } from '../rights/lock-service.ts';
import { ActivationService } from './activation-service.ts';
import { PasskeyService } from './passkey-service.ts';
import { relyingParty } from './relying-party.ts';
import { SessionService } from './session-service.ts';

/** The services by which people sign in as themselves (issue 12), part of the AppContext. */
export interface SignInServices {
  activation: ActivationService;
  sessions: SessionService;
  passkeys: PasskeyService;
  /** mdis as the OpenID Provider of worlds. */
  oidc: OidcService;
  /** The person's own avatar bindings. */
  bindings: BindingService;
  /** The console page that takes this activation code. */
  activationLink(code: string): string;
}

export function buildSignIn(options: {
  db: Db;
  config: Config;
  ledger: LedgerService;
  principals: PrincipalService;
  subjects: SubjectService;
  vault: AttributeVault;
  keyring: Keyring;
  avatars: AvatarService;
  worlds: WorldService;
  notifier: Notifier;
  locks: LockService;
  servicePseudonyms: ServicePseudonymService;
  now: () => Date;
}): SignInServices {
  const { db, config, ledger, principals, now } = options;
  const sessions = new SessionService({ db, config, now });
  const oidc = new OidcService({ ...options, sessions });
  const activation = new ActivationService({ db, ledger, principals, now });
  const passkeys = new PasskeyService({ db, config, ledger, activation, sessions, now });
  return {
    activation,
    sessions,
    passkeys,
    oidc,
    bindings: new BindingService({ db, ledger, notifier: options.notifier, now }),
    activationLink: (code) => `${relyingParty(config).origin}/activate?code=${encodeURIComponent(code)}`,
  };
}

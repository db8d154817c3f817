import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Engine } from '../engine.ts';
import * as foundation from './2026-11-22T0600-foundation.ts';
import * as conduct from './2026-11-22T0700-conduct.ts';
import * as credit from './2026-11-22T0900-credit.ts';
import * as ledger from './2026-11-22T1000-ledger.ts';
import * as access from './2026-11-22T1100-access.ts';
import * as creditScoresClustered from './2026-12-02T0000-credit-scores-clustered.ts';
import * as policyActivations from './2026-12-02T0100-policy-activations.ts';
import * as peopleSignIn from './2026-12-02T0600-people-sign-in.ts';
import * as eventsAsReports from './2026-12-02T0700-events-as-reports.ts';
import * as appeals from './2026-12-02T0800-appeals.ts';
import * as loggedReads from './2026-12-02T0900-logged-reads.ts';
import * as ledgerOpenings from './2026-12-02T1000-ledger-openings.ts';
import * as principalProposals from './2026-12-02T1100-principal-proposals.ts';
import * as disclosureCases from './2026-12-02T1200-disclosure-cases.ts';
import * as checkpointCosignatures from './2026-12-02T1300-checkpoint-cosignatures.ts';
import * as contributionRecorded from './2026-12-02T1400-contribution-recorded.ts';
import * as principalOrganisation from './2026-12-02T1500-principal-organisation.ts';
import * as corrections from './2026-12-02T1600-corrections.ts';
import * as identityLocks from './2026-12-02T1700-identity-locks.ts';
import * as credentials from './2026-12-02T1800-credentials.ts';
import * as servicePseudonyms from './2026-12-02T1900-service-pseudonyms.ts';
import * as erasure from './2026-12-02T2000-erasure.ts';
import * as signingKeys from './2026-12-02T2100-signing-keys.ts';
import * as keyRotation from './2026-12-02T2200-key-rotation.ts';
import * as credentialHolderSub from './2026-12-02T2500-credential-holder-sub.ts';
import * as storeOrigin from './2026-12-02T2700-store-origin.ts';

type EngineMigration = { up(db: Kysely<unknown>, engine: Engine): Promise<void> };

// Listed here rather than read from the folder so that the built package needs no file globbing.
const migrations: Record<string, EngineMigration> = {
  '2026-11-22T0600-foundation': foundation,
  '2026-11-22T0700-conduct': conduct,
  '2026-11-22T0900-credit': credit,
  '2026-11-22T1000-ledger': ledger,
  '2026-11-22T1100-access': access,
  '2026-12-02T0000-credit-scores-clustered': creditScoresClustered,
  '2026-12-02T0100-policy-activations': policyActivations,
  '2026-12-02T0600-people-sign-in': peopleSignIn,
  '2026-12-02T0700-events-as-reports': eventsAsReports,
  '2026-12-02T0800-appeals': appeals,
  '2026-12-02T0900-logged-reads': loggedReads,
  '2026-12-02T1000-ledger-openings': ledgerOpenings,
  '2026-12-02T1100-principal-proposals': principalProposals,
  '2026-12-02T1200-disclosure-cases': disclosureCases,
  '2026-12-02T1300-checkpoint-cosignatures': checkpointCosignatures,
  '2026-12-02T1400-contribution-recorded': contributionRecorded,
  '2026-12-02T1500-principal-organisation': principalOrganisation,
  '2026-12-02T1600-corrections': corrections,
  '2026-12-02T1700-identity-locks': identityLocks,
  '2026-12-02T1800-credentials': credentials,
  '2026-12-02T1900-service-pseudonyms': servicePseudonyms,
  '2026-12-02T2000-erasure': erasure,
  '2026-12-02T2100-signing-keys': signingKeys,
  '2026-12-02T2200-key-rotation': keyRotation,
  '2026-12-02T2500-credential-holder-sub': credentialHolderSub,
  '2026-12-02T2700-store-origin': storeOrigin,
};

export function migrationProvider(engine: Engine): MigrationProvider {
  return {
    async getMigrations() {
      const bound: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(migrations)) {
        bound[name] = { up: (db) => migration.up(db, engine) };
      }
      return bound;
    },
  };
}

import type { AppealsTable } from './tables/appeals.ts';
import type { AvatarsTable } from './tables/avatars.ts';
import type { CasesTable } from './tables/cases.ts';
import type { ConductEventsTable } from './tables/conduct-events.ts';
import type { CorrectionsTable } from './tables/corrections.ts';
import type {
  CredentialAccessTokensTable,
  CredentialKeysTable,
  CredentialOffersTable,
  CredentialSpentNoncesTable,
  CredentialStatusListsTable,
  CredentialsTable,
} from './tables/credentials.ts';
import type { CreditContributionsTable } from './tables/credit-contributions.ts';
import type { CreditHistogramTable } from './tables/credit-histogram.ts';
import type { CreditHistoryTable } from './tables/credit-history.ts';
import type { CreditScoresTable } from './tables/credit-scores.ts';
import type { DisclosureReadsTable } from './tables/disclosure-reads.ts';
import type { DisclosuresTable } from './tables/disclosures.ts';
import type { ErasuresTable, PreservationsTable } from './tables/erasures.ts';
import type { IdentityLocksTable } from './tables/identity-locks.ts';
import type { LedgerCheckpointsTable } from './tables/ledger-checkpoints.ts';
import type { LedgerEntriesTable } from './tables/ledger-entries.ts';
import type { LedgerKeysTable } from './tables/ledger-keys.ts';
import type { LedgerOpeningsTable } from './tables/ledger-openings.ts';
import type { LedgerSaltsTable } from './tables/ledger-salts.ts';
import type { OutboxTable } from './tables/outbox.ts';
import type { PoliciesTable, PolicyActivationsTable } from './tables/policies.ts';
import type { PrincipalProposalsTable, PrincipalsTable } from './tables/principals.ts';
import type { ReportsTable } from './tables/reports.ts';
import type { SanctionsTable } from './tables/sanctions.ts';
import type { OidcServiceClientsTable, ServicePseudonymsTable } from './tables/service-pseudonyms.ts';
import type {
  ActivationCodesTable,
  OidcClientsTable,
  OidcKeysTable,
  OidcModelsTable,
  PasskeysTable,
  SessionsTable,
  SignInNoticesTable,
  WebauthnChallengesTable,
} from './tables/sign-in.ts';
import type { SigningKeysTable } from './tables/signing-keys.ts';
import type { StoreOriginTable } from './tables/store-origin.ts';
import type { StrikesTable } from './tables/strikes.ts';
import type { SubjectAttributesTable } from './tables/subject-attributes.ts';
import type { EligibilityCheckCountsTable, SubjectReadsTable } from './tables/subject-reads.ts';
import type { SubjectsTable } from './tables/subjects.ts';
import type { SubscriptionsTable } from './tables/subscriptions.ts';
import type { WorldsTable } from './tables/worlds.ts';

/** Every table of the store, as Kysely sees it. */
export interface DatabaseSchema {
  worlds: WorldsTable;
  subjects: SubjectsTable;
  subject_attributes: SubjectAttributesTable;
  avatars: AvatarsTable;
  principals: PrincipalsTable;
  policies: PoliciesTable;
  policy_activations: PolicyActivationsTable;
  cases: CasesTable;
  reports: ReportsTable;
  sanctions: SanctionsTable;
  strikes: StrikesTable;
  conduct_events: ConductEventsTable;
  subscriptions: SubscriptionsTable;
  outbox: OutboxTable;
  credit_scores: CreditScoresTable;
  credit_contributions: CreditContributionsTable;
  credit_histogram: CreditHistogramTable;
  credit_history: CreditHistoryTable;
  ledger_entries: LedgerEntriesTable;
  ledger_salts: LedgerSaltsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  ledger_keys: LedgerKeysTable;
  disclosures: DisclosuresTable;
  disclosure_reads: DisclosureReadsTable;
  // People sign in (issue 12)
  activation_codes: ActivationCodesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  sessions: SessionsTable;
  sign_in_notices: SignInNoticesTable;
  oidc_models: OidcModelsTable;
  oidc_clients: OidcClientsTable;
  oidc_keys: OidcKeysTable;
  appeals: AppealsTable;
  // Logged reads (issue 13)
  subject_reads: SubjectReadsTable;
  eligibility_check_counts: EligibilityCheckCountsTable;
  principal_proposals: PrincipalProposalsTable;
  // Erasure and preservation (issue 15)
  erasures: ErasuresTable;
  preservations: PreservationsTable;
  // The log's commitments to people (issue 13)
  ledger_openings: LedgerOpeningsTable;
  // The person's own data (issue 15)
  identity_locks: IdentityLocksTable;
  // The person's own data (issue 15)
  corrections: CorrectionsTable;
  // Pseudonyms per service (issue 16)
  oidc_service_clients: OidcServiceClientsTable;
  service_pseudonyms: ServicePseudonymsTable;
  // Credentials (issue 16)
  credential_keys: CredentialKeysTable;
  credential_offers: CredentialOffersTable;
  credential_access_tokens: CredentialAccessTokensTable;
  credential_spent_nonces: CredentialSpentNoncesTable;
  credential_status_lists: CredentialStatusListsTable;
  credentials: CredentialsTable;
  // The person's export (issue 15)
  signing_keys: SigningKeysTable;
  // What made the store (issue 17)
  store_origin: StoreOriginTable;
}

import { type DestinationStream, type Logger, pino } from 'pino';
import { DisclosureReader } from './access/disclosure-reader.ts';
import { DisclosureService } from './access/disclosure-service.ts';
import { OversightService } from './access/oversight-service.ts';
import { ProfileReadService } from './access/profile-reads.ts';
import { TransparencyReporter } from './access/transparency-report.ts';
import { AppealService } from './appeals/appeal-service.ts';
import { AppealStore } from './appeals/appeal-store.ts';
import { buildSignIn, type SignInServices } from './auth/sign-in-context.ts';
import { CaseService } from './conduct/case-service.ts';
import { DecisionService } from './conduct/decision-service.ts';
import { EventService } from './conduct/event-service.ts';
import { ReportService } from './conduct/report-service.ts';
import { WorldReportReader } from './conduct/world-reports.ts';
import type { Config } from './config.ts';
import { CredentialService } from './credentials/credential-service.ts';
import { CredentialKeys } from './credentials/keys.ts';
import { OfferService } from './credentials/offers.ts';
import { PresentationPseudonyms } from './credentials/presentations.ts';
import { CreditReader } from './credit/credit-reader.ts';
import { CreditService } from './credit/credit-service.ts';
import { CreditModel } from './credit/model.ts';
import { recomputeAll } from './credit/recompute.ts';
import { type Db, openStore, type Store } from './db/database.ts';
import { AvatarStandingReader } from './enforcement/avatar-standing.ts';
import { CheckCounter, checkCountFlushMs } from './enforcement/check-counts.ts';
import { EligibilityService } from './enforcement/eligibility-service.ts';
import { SanctionService } from './enforcement/sanction-service.ts';
import { StrikeService } from './enforcement/strike-service.ts';
import { AttributeVault, loadMasterKey } from './identity/attribute-vault.ts';
import { AvatarService } from './identity/avatar-service.ts';
import { ServicePseudonymService } from './identity/service-pseudonyms.ts';
import { SubjectService } from './identity/subject-service.ts';
import { WorldService } from './identity/world-service.ts';
import { Keyring } from './keyring.ts';
import { SigningKeys } from './keys/signing-keys.ts';
import { LedgerService } from './ledger/ledger-service.ts';
import { logOriginFor } from './ledger/log-origin.ts';
import { WitnessClient } from './ledger/witness-client.ts';
import { DeliveryWorker } from './notify/delivery.ts';
import { Notifier } from './notify/notifier.ts';
import { SubscriptionService } from './notify/subscription-service.ts';
import { issuerOf } from './oidc/provider.ts';
import { activatePolicy, storedPolicy } from './policy/activation.ts';
import { loadPolicy } from './policy/load.ts';
import type { Policy } from './policy/policy.ts';
import { PrincipalPeople } from './principals/principal-people.ts';
import { PrincipalService } from './principals/principal-service.ts';
import { ProposalService } from './principals/proposal-service.ts';
import { CorrectionService } from './rights/correction-service.ts';
import { CorrectionStore } from './rights/correction-store.ts';
import { ErasureService } from './rights/erasure-service.ts';
import { type ExportDeps, ExportService } from './rights/export-service.ts';
import { LockService } from './rights/lock-service.ts';
import { PreservationService } from './rights/preservation-service.ts';

// Start-up in three stages: open the core (store, keys, log, policy), wire the services on it in
// dependency order, then start the runtime of a serving instance (the policy put in force, the
// eligibility index and its listener, the scheduled jobs). A command opens the first two and puts
// the policy in force: it builds no index and listens to nothing.

/** Stage 1: what every service stands on. */
export interface Core {
  config: Config;
  store: Store;
  db: Db;
  logger: Logger;
  now: () => Date;
  policy: Policy;
  vault: AttributeVault;
  keyring: Keyring;
  ledger: LedgerService;
}

/** Stage 2: the services, built on the core; building them reads and writes nothing. */
export interface Services extends SignInServices {
  principals: PrincipalService;
  subjects: SubjectService;
  worlds: WorldService;
  avatars: AvatarService;
  /** What a world may read of its avatars' standing: grade and the sanctions that hold there. */
  avatarStandings: AvatarStandingReader;
  notifier: Notifier;
  subscriptions: SubscriptionService;
  /** Sends the webhook outbox; `startJobs` runs it, tests call `deliverDue` directly. */
  deliveries: DeliveryWorker;
  eligibility: EligibilityService;
  credit: CreditService;
  creditReader: CreditReader;
  sanctions: SanctionService;
  strikes: StrikeService;
  cases: CaseService;
  reports: ReportService;
  /** A world's reports, newest first, with their cases' status (issue 17). */
  worldReports: WorldReportReader;
  decisions: DecisionService;
  appeals: AppealService;
  events: EventService;
  disclosures: DisclosureService;
  disclosureReader: DisclosureReader;
  oversight: OversightService;
  transparency: TransparencyReporter;
  /** Staff reads of decrypted profiles, each logged with its purpose. */
  profileReads: ProfileReadService;
  /** Eligibility checks counted per subject, checker, action and day; `flush` writes them. */
  checkCounts: CheckCounter;
  /** Two admins for the overseeing roles: proposals to create or revoke them. */
  principalProposals: ProposalService;
  /** The person's lock on the use of its identity (issue 15). */
  locks: LockService;
  /** The person's corrections of its own attributes, and the registrars' decisions on them. */
  corrections: CorrectionService;
  /** The pseudonyms services know people by (pairwise subjects of their sign-ins). */
  servicePseudonyms: ServicePseudonymService;
  /** The credential issuer: SD-JWT VC over OpenID4VCI, status lists (issue 16). */
  credentials: CredentialService;
  /** A service maps a credential presented to it to its own pseudonym for the person (issue 16). */
  presentations: PresentationPseudonyms;
  /** The key that signs exports, published at /.well-known/jwks.json. */
  exportKeys: SigningKeys;
  /** The person's signed export of everything mdis holds about it (issue 15). */
  exports: ExportService;
  /** Authorities' preservation orders, which hold erasures. */
  preservations: PreservationService;
  /** Erasure under the retention policy; `eraseDue` is a scheduled pass. */
  erasures: ErasureService;
}

/** What a command (`mdis admin`, `mdis credit`, ...) works with. */
export interface CommandContext extends Core, Services {
  close(): Promise<void>;
}

/** Everything a serving instance (and a test) needs, built once at start-up. */
export interface AppContext extends CommandContext {
  /** Starts the periodic work of a serving instance (`scheduledJobs`). Tests call the passes directly. */
  startJobs(): void;
}

/** What tests (and the demo) may replace. */
export interface ContextOverrides {
  logger?: Logger;
  now?: () => Date;
  /**
   * `configured` (serve, the demo, simulate): the configured policy (or the default) is put in
   * force if it is not. `in-force` (the other commands): the store's policy in force is used and
   * none is put in force, unless the store has none yet.
   */
  policy?: 'configured' | 'in-force';
}

/** A serving instance: all three stages. */
export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const core = await openCore(config, overrides);
  const services = wireServices(core);
  const runtime = await startRuntime(core, services);
  return { ...core, ...services, ...runtime };
}

/** A command: the core and the services, under the store's policy in force; no index, no jobs. */
export async function openCommandContext(
  config: Config,
  overrides: Omit<ContextOverrides, 'policy'> = {},
): Promise<CommandContext> {
  const core = await openCore(config, { ...overrides, policy: 'in-force' });
  const services = wireServices(core);
  try {
    await putPolicyInForce(core, services);
  } catch (error) {
    await core.store.close();
    throw error;
  }
  return { ...core, ...services, close: () => core.store.close() };
}

/** The process's logger, to stdout or to `destination` (`serve` holds its lines back at start). */
export function rootLogger(config: Config, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: ['req.headers.authorization'] };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** Stage 1: validates the policy and the master key, opens the store, loads the log's key. */
export async function openCore(config: Config, overrides: ContextOverrides = {}): Promise<Core> {
  const logger = overrides.logger ?? rootLogger(config);
  const now = overrides.now ?? (() => new Date());
  // Validated before anything is written: a bad policy must leave the data dir as it was.
  const configured = loadPolicy(config.policyFile);
  const masterKey = loadMasterKey(config.secrets.masterKey, config.dataDir);
  if (masterKey.createdFile !== undefined) {
    logger.warn(
      { file: masterKey.createdFile },
      'created a new master key file; back it up, or set MDIS_MASTER_KEY',
    );
  }
  const vault = new AttributeVault(masterKey.key);
  const keyring = new Keyring(masterKey.key);
  const store = await openStore(config);
  const db = store.db;
  try {
    let policy = configured;
    if (overrides.policy === 'in-force') {
      policy = await storedPolicy(db, configured);
      if (config.policyFile !== undefined && policy.digest !== configured.digest) {
        logger.warn({ digest: policy.digest }, `using the policy in force, not ${config.policyFile}`);
      }
    }
    const ledger = new LedgerService({
      db,
      engine: store.engine,
      keyring,
      origin: await logOriginFor(db, config),
      schema: config.databaseSchema,
      now,
      witnesses:
        config.witnesses.length === 0
          ? undefined
          : new WitnessClient({ witnesses: config.witnesses, timeoutMs: config.witnessTimeoutMs, logger }),
      people: new PrincipalPeople(db),
    });
    await ledger.init();
    return { config, store, db, logger, now, policy, vault, keyring, ledger };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Stage 2: each service from the core and the services built before it. */
export function wireServices(core: Core): Services {
  const { config, store, db, logger, now, policy, vault, keyring, ledger } = core;
  const principals = new PrincipalService({ db, ledger, now });
  const subjects = new SubjectService({ db, ledger, vault, now });
  const worlds = new WorldService({ db, ledger, principals, now });
  const locks = new LockService({ db, ledger, now });
  const avatars = new AvatarService({ db, ledger, vault, subjects, locks, now });
  const notifier = new Notifier({ avatars });
  const subscriptions = new SubscriptionService({ db, keyring, worlds, now });
  const deliveries = new DeliveryWorker({ db, keyring, logger, now });
  const checkCounts = new CheckCounter({
    db,
    now,
    onError: (error) => logger.error({ err: error }, 'writing eligibility check counts failed'),
  });
  const servicePseudonyms = new ServicePseudonymService({ db, ledger, vault, now });
  const eligibility = new EligibilityService({
    counts: checkCounts,
    pseudonyms: servicePseudonyms,
    db,
    engine: store.engine,
    policy,
    logger,
    now,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
  });
  const credit = new CreditService({ db, ledger, model: new CreditModel(policy), now, eligibility });
  subjects.afterEnrol((tx, subject) => credit.open(tx, subject));
  const creditReader = new CreditReader({ db, credit });
  const cases = new CaseService({ db, subjects });
  // What most services of the conduct and enforcement domains stand on.
  const base = { db, ledger, policy, now };
  const sanctions = new SanctionService({ ...base, subjects, worlds, eligibility, notifier, credit, cases });
  const strikes = new StrikeService({ db, policy, now });
  const reports = new ReportService({ ...base, keyring, avatars, subjects, cases });
  const appealStore = new AppealStore({ db, subjects });
  const decisions = new DecisionService({
    ...base,
    ...{ cases, sanctions, strikes, notifier, credit, appeals: appealStore },
  });
  const events = new EventService({ db, policy, avatars, credit, reports, now });
  const access = { ...base, keyring, subjects, avatars };
  const disclosures = new DisclosureService({ ...access, cases });
  const disclosureReader = new DisclosureReader({ ...access, disclosures });
  const oversight = new OversightService({ ...access, disclosures });
  const transparency = new TransparencyReporter({ db, ledger, now });
  const profileReads = new ProfileReadService({ db, ledger, subjects, policy, now });
  const appeals = new AppealService({
    ...base,
    ...{ store: appealStore, cases, decisions, sanctions, credit, disclosures },
  });
  const signIn = buildSignIn({
    ...{ db, config, ledger, principals, subjects, now },
    ...{ vault, keyring, avatars, worlds, notifier, locks, servicePseudonyms },
  });
  const credentials = buildCredentials({ ...core, subjects, sanctions, locks });
  // The credential endpoint takes the OpenID Provider's access tokens too (authorization code flow).
  credentials.providerGrantOf = (token) => signIn.oidc.credentialGrantOf(token);
  const preservations = new PreservationService({ ...base, keyring, subjects, avatars });
  const erasures = new ErasureService({
    ...{ ...base, subjects, principals, preservations, credit, eligibility, logger },
    afterPass: () => {
      store.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    },
  });
  // An erased person's credentials are revoked: the status lists say so once it commits.
  erasures.onErase(async (tx, subject) => {
    await credentials.revokeAllOf(tx, subject, 'erased');
  });
  const corrections = new CorrectionService({
    ...{ db, ledger, subjects, profileReads, now },
    store: new CorrectionStore({ db, subjects }),
  });
  return {
    ...{ principals, subjects, worlds, avatars, notifier, subscriptions, deliveries },
    ...{ eligibility, credit, creditReader, sanctions, strikes, cases, reports, decisions, events },
    avatarStandings: new AvatarStandingReader({ db, avatars, now }),
    worldReports: new WorldReportReader({ db }),
    ...{ disclosures, disclosureReader, oversight, transparency, appeals },
    ...signIn,
    ...{ profileReads, checkCounts },
    principalProposals: new ProposalService({ ...base, principals, activation: signIn.activation }),
    locks,
    corrections,
    servicePseudonyms,
    credentials,
    presentations: new PresentationPseudonyms({ db, keyring, credentials, locks, servicePseudonyms, now }),
    ...{ preservations, erasures },
    ...buildExports(core, {
      ...{
        subjects,
        creditReader,
        cases,
        sanctions,
        strikes,
        appeals,
        locks,
        preservations,
        bindings: signIn.bindings,
      },
      ...{ disclosureReader, profileReads, checkCounts, corrections, credentials, servicePseudonyms },
    }),
  };
}

/** The person's export, from the services that answer its /v1/me routes, and the key that signs it. */
function buildExports(
  core: Core,
  services: Omit<ExportDeps, 'db' | 'ledger' | 'keys' | 'issuer' | 'now'>,
): Pick<Services, 'exportKeys' | 'exports'> {
  const { db, ledger, keyring, now, config } = core;
  const exportKeys = new SigningKeys({ db, keyring, now, purpose: 'export' });
  const issuer = () => issuerOf(config);
  return {
    exportKeys,
    exports: new ExportService({ ...services, db, ledger, now, issuer, keys: exportKeys }),
  };
}

/**
 * The credential issuer; in their own transactions, a ban in force revokes the subject's standing
 * credentials and a lock all of them (and a locked person gets no new offer or credential).
 */
function buildCredentials(
  options: Core & { subjects: SubjectService; sanctions: SanctionService; locks: LockService },
) {
  const { db, keyring, now, ledger, subjects, sanctions, locks, config } = options;
  const issuer = () => issuerOf(config);
  const credentials = new CredentialService({
    ...{ db, ledger, keyring, subjects, locks, now, issuer },
    keys: new CredentialKeys({ db, keyring, now }),
    offers: new OfferService({ db, keyring, now, issuer, locks }),
  });
  sanctions.afterImpose((tx, sanction) => credentials.sanctioned(tx, sanction));
  locks.afterLock((tx, subject) => credentials.revokeAllOf(tx, subject, 'locked'));
  return credentials;
}

/** Stage 3: the policy in force, the eligibility index and its listener; the jobs on `startJobs`. */
export async function startRuntime(
  core: Core,
  services: Services,
): Promise<Pick<AppContext, 'startJobs' | 'close'>> {
  const { eligibility, deliveries, checkCounts } = services;
  try {
    await putPolicyInForce(core, services);
    // The issuer's key exists before the first request: publishing it writes nothing.
    await services.credentials.keys.active();
    // Published from the first answer on: the key set a verifier fetches does not change under it.
    await services.exportKeys.ensure();
    await eligibility.rebuild();
    await eligibility.listen();
  } catch (error) {
    await eligibility.stop();
    await core.store.close();
    throw error;
  }
  const timers: NodeJS.Timeout[] = [];
  return {
    startJobs() {
      for (const job of scheduledJobs({ ...core, ...services })) timers.push(every(job, core.logger));
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      // The checks counted since the last write, before the store closes.
      await checkCounts.flush().catch((error) => core.logger.error({ err: error }, 'check counts lost'));
      await deliveries.stop();
      await eligibility.stop();
      await core.store.close();
    },
  };
}

/**
 * Puts the configured policy in force if it is not, and then rescores every subject under it:
 * points, half-lives and grades may all have changed.
 */
async function putPolicyInForce(core: Core, { credit, eligibility }: Services): Promise<void> {
  const { store, ledger, policy, now, logger } = core;
  if (!(await activatePolicy(store.db, store.engine, ledger, policy, now()))) return;
  const recomputed = await recomputeAll({
    store,
    ledger,
    eligibility,
    model: credit.model,
    now: now(),
    cause: 'policy',
  });
  logger.info({ digest: policy.digest, rescored: recomputed.changed }, 'a new policy is in force');
}

export interface ScheduledJob {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/** The periodic work of a serving instance, with how often each runs. */
export function scheduledJobs(
  ctx: Pick<
    AppContext,
    | 'ledger'
    | 'sanctions'
    | 'credit'
    | 'deliveries'
    | 'checkCounts'
    | 'oversight'
    | 'credentials'
    | 'erasures'
    | 'preservations'
    | 'oidc'
    | 'exportKeys'
  >,
) {
  const { ledger, sanctions, credit, deliveries, checkCounts, oversight, credentials } = ctx;
  const { erasures, preservations, oidc, exportKeys } = ctx;
  const jobs: ScheduledJob[] = [
    { name: 'sign checkpoint', everyMs: 250, run: () => ledger.checkpoint() },
    { name: 'expire sanctions', everyMs: 5_000, run: () => sanctions.expireDue() },
    { name: 'decay credit', everyMs: 60_000, run: () => credit.refreshStale() },
    { name: 'deliver notifications', everyMs: 500, run: () => deliveries.deliverDue() },
    { name: 'write check counts', everyMs: checkCountFlushMs, run: () => checkCounts.flush() },
    // Reads check the deadline themselves; this pass only puts its passing in the log.
    { name: 'log overdue reviews', everyMs: 5_000, run: () => oversight.logOverdue() },
    { name: 'prune expired credential offers', everyMs: 60_000, run: () => credentials.pruneExpired() },
    // Keys rotated by `mdis keys rotate` (the log's key is read again at each checkpoint).
    {
      name: 'reload signing keys',
      everyMs: 5_000,
      run: () => Promise.all([oidc.refreshKeys(), credentials.keys.refresh(), exportKeys.refresh()]),
    },
    // Erasures are due by the day: a pass a minute keeps them within a minute of their date.
    { name: 'log lapsed preservations', everyMs: 60_000, run: () => preservations.logLapsed() },
    { name: 'erase due subjects', everyMs: 60_000, run: () => erasures.eraseDue() },
  ];
  return jobs;
}

// A pass that is still running when its next turn comes is skipped, not run twice at once.
function every(job: ScheduledJob, logger: Logger): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    job
      .run()
      .catch((error) => logger.error({ err: error, job: job.name }, 'background pass failed'))
      .finally(() => {
        running = false;
      });
  }, job.everyMs);
  timer.unref();
  return timer;
}

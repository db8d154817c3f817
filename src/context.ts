import { type Logger, pino } from 'pino';
import { DisclosureReader } from './access/disclosure-reader.ts';
import { DisclosureService } from './access/disclosure-service.ts';
import { OversightService } from './access/oversight-service.ts';
import { TransparencyReporter } from './access/transparency-report.ts';
import { buildSignIn, type SignInServices } from './auth/sign-in-context.ts';
import { CaseService } from './conduct/case-service.ts';
import { DecisionService } from './conduct/decision-service.ts';
import { EventService } from './conduct/event-service.ts';
import { ReportService } from './conduct/report-service.ts';
import type { Config } from './config.ts';
import { CreditReader } from './credit/credit-reader.ts';
import { CreditService } from './credit/credit-service.ts';
import { CreditModel } from './credit/model.ts';
import { recomputeAll } from './credit/recompute.ts';
import { type Db, openStore, type Store } from './db/database.ts';
import { EligibilityService } from './enforcement/eligibility-service.ts';
import { SanctionService } from './enforcement/sanction-service.ts';
import { StrikeService } from './enforcement/strike-service.ts';
import { AttributeVault, loadMasterKey } from './identity/attribute-vault.ts';
import { AvatarService } from './identity/avatar-service.ts';
import { SubjectService } from './identity/subject-service.ts';
import { WorldService } from './identity/world-service.ts';
import { LedgerService } from './ledger/ledger-service.ts';
import { DeliveryWorker } from './notify/delivery.ts';
import { Notifier } from './notify/notifier.ts';
import { SubscriptionService } from './notify/subscription-service.ts';
import { activatePolicy, storedPolicy } from './policy/activation.ts';
import { loadPolicy } from './policy/load.ts';
import type { Policy } from './policy/policy.ts';
import { PrincipalService } from './principals/principal-service.ts';

/** Everything a request or a command needs, built once at start-up. */
export interface AppContext extends SignInServices {
  config: Config;
  store: Store;
  db: Db;
  logger: Logger;
  now: () => Date;
  policy: Policy;
  vault: AttributeVault;
  ledger: LedgerService;
  principals: PrincipalService;
  subjects: SubjectService;
  worlds: WorldService;
  avatars: AvatarService;
  notifier: Notifier;
  subscriptions: SubscriptionService;
  /** Sends the webhook outbox; `startJobs` runs it, tests call `deliverDue` directly. */
  deliveries: DeliveryWorker;
  eligibility: EligibilityService;
  credit: CreditService;
  creditReader: CreditReader;
  sanctions: SanctionService;
  strikes: StrikeService;
  reports: ReportService;
  cases: CaseService;
  decisions: DecisionService;
  events: EventService;
  disclosures: DisclosureService;
  disclosureReader: DisclosureReader;
  oversight: OversightService;
  transparency: TransparencyReporter;
  /** Starts the periodic work of a serving instance (expiry, webhooks). Tests call the passes directly. */
  startJobs(): void;
  close(): Promise<void>;
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

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const logger = overrides.logger ?? pino({ level: config.logLevel, redact: ['req.headers.authorization'] });
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
  const store = await openStore(config);
  const db = store.db;
  let policy = configured;
  if (overrides.policy === 'in-force') {
    try {
      policy = await storedPolicy(db, configured);
    } catch (error) {
      await store.close();
      throw error;
    }
    if (config.policyFile !== undefined && policy.digest !== configured.digest) {
      logger.warn({ digest: policy.digest }, `using the policy in force, not ${config.policyFile}`);
    }
  }
  const vault = new AttributeVault(masterKey.key);
  const ledger = new LedgerService({
    db,
    engine: store.engine,
    vault,
    origin: config.logOrigin,
    schema: config.databaseSchema,
    now,
  });
  const principals = new PrincipalService({ db, ledger, now });
  const subjects = new SubjectService({ db, ledger, vault, now });
  const worlds = new WorldService({ db, ledger, principals, now });
  const avatars = new AvatarService({ db, ledger, vault, subjects, now });
  const notifier = new Notifier({ avatars });
  const subscriptions = new SubscriptionService({ db, vault, worlds, now });
  const deliveries = new DeliveryWorker({ db, vault, logger, now });
  const eligibility = new EligibilityService({
    db,
    engine: store.engine,
    policy,
    logger,
    now,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    loadSanctions: (some) => sanctions.unlifted(some),
    loadGrades: (grades, some) => credit.withGrades(grades, some),
  });
  const credit = new CreditService({
    db,
    ledger,
    model: new CreditModel(policy),
    now,
    onGradeChange: (trx, subject) => eligibility.announce(trx, subject),
  });
  subjects.afterEnrol((trx, subject) => credit.open(trx, subject));
  const creditReader = new CreditReader({ db, credit });
  const sanctions = new SanctionService({
    db,
    ledger,
    policy,
    subjects,
    worlds,
    eligibility,
    notifier,
    credit,
    now,
  });
  const strikes = new StrikeService({ db, policy, now });
  const reports = new ReportService({ db, ledger, policy, vault, avatars, subjects, now });
  const cases = new CaseService({ db, subjects });
  const decisions = new DecisionService({
    db,
    ledger,
    policy,
    cases,
    subjects,
    sanctions,
    strikes,
    eligibility,
    notifier,
    credit,
    now,
  });
  const events = new EventService({ db, policy, avatars, credit, eligibility, now });
  const access = { db, ledger, policy, vault, subjects, avatars, now };
  const disclosures = new DisclosureService(access);
  const disclosureReader = new DisclosureReader({ ...access, disclosures });
  const oversight = new OversightService({ ...access, disclosures });
  const transparency = new TransparencyReporter({ db, ledger, now });
  const signIn = buildSignIn({
    ...{ db, config, ledger, principals, subjects, now },
    ...{ vault, avatars, sanctions, worlds, notifier },
  });

  try {
    await ledger.init();
    if (await activatePolicy(db, store.engine, ledger, policy, now())) {
      // Points, half-lives and grades may all have changed: every score is recomputed under it.
      const recomputed = await recomputeAll({
        store,
        ledger,
        model: credit.model,
        now: now(),
        cause: 'policy',
      });
      logger.info({ digest: policy.digest, rescored: recomputed.changed }, 'a new policy is in force');
    }
    await eligibility.rebuild();
    await eligibility.listen();
  } catch (error) {
    await eligibility.stop();
    await store.close();
    throw error;
  }

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, name: string, pass: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      pass()
        .catch((error) => logger.error({ err: error, job: name }, 'background pass failed'))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    config,
    store,
    db,
    logger,
    now,
    policy,
    vault,
    ledger,
    principals,
    subjects,
    worlds,
    avatars,
    notifier,
    subscriptions,
    deliveries,
    eligibility,
    credit,
    creditReader,
    sanctions,
    strikes,
    reports,
    cases,
    decisions,
    events,
    disclosures,
    disclosureReader,
    oversight,
    transparency,
    ...signIn,
    startJobs() {
      every(250, 'sign checkpoint', () => ledger.checkpoint());
      every(5_000, 'expire sanctions', () => sanctions.expireDue());
      every(60_000, 'decay credit', async () =>
        eligibility.refresh((await credit.refreshStale()).gradeChanged),
      );
      every(500, 'deliver notifications', () => deliveries.deliverDue());
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await deliveries.stop();
      await eligibility.stop();
      await store.close();
    },
  };
}

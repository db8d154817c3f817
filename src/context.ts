import { type Logger, pino } from 'pino';
import type { Config } from './config.ts';
import { type Db, openStore, type Store } from './db/database.ts';
import { AttributeVault, loadMasterKey } from './identity/attribute-vault.ts';
import { AvatarService } from './identity/avatar-service.ts';
import { SubjectService } from './identity/subject-service.ts';
import { WorldService } from './identity/world-service.ts';
import { PrincipalService } from './principals/principal-service.ts';

/** Everything a request or a command needs, built once at start-up. */
export interface AppContext {
  config: Config;
  store: Store;
  db: Db;
  logger: Logger;
  now: () => Date;
  vault: AttributeVault;
  principals: PrincipalService;
  subjects: SubjectService;
  worlds: WorldService;
  avatars: AvatarService;
  close(): Promise<void>;
}

/** What tests (and the demo) may replace. */
export interface ContextOverrides {
  logger?: Logger;
  now?: () => Date;
}

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const logger = overrides.logger ?? pino({ level: config.logLevel, redact: ['req.headers.authorization'] });
  const now = overrides.now ?? (() => new Date());
  const masterKey = loadMasterKey(config.secrets.masterKey, config.dataDir);
  if (masterKey.createdFile !== undefined) {
    logger.warn(
      { file: masterKey.createdFile },
      'created a new master key file; back it up, or set MDIS_MASTER_KEY',
    );
  }
  const store = await openStore(config);
  const db = store.db;
  const vault = new AttributeVault(masterKey.key);
  const principals = new PrincipalService({ db, now });
  const subjects = new SubjectService({ db, vault, now });
  const worlds = new WorldService({ db, principals, now });
  const avatars = new AvatarService({ db, vault, subjects, now });
  return {
    config,
    store,
    db,
    logger,
    now,
    vault,
    principals,
    subjects,
    worlds,
    avatars,
    close: () => store.close(),
  };
}

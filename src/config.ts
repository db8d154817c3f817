import path from 'node:path';

/** Secrets are kept apart from the rest of the config so that nothing logs them by accident. */
export interface Secrets {
  /** 32-byte master key from MDIS_MASTER_KEY; when absent the key file in the data dir is used. */
  masterKey: Buffer | undefined;
}

export interface Config {
  port: number;
  host: string;
  /** Holds the SQLite file, the master key file and the first admin token. */
  dataDir: string;
  /** A postgres:// URL selects PostgreSQL; otherwise the embedded SQLite file is used. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema to use (tests give each suite its own). */
  databaseSchema: string | undefined;
  /**
   * The origin line of log checkpoints, which names this log (C2SP tlog-checkpoint): MDIS_LOG_ORIGIN,
   * or by default the public URL's host and path with `/log` (`localhost/log` without one).
   */
  logOrigin: string;
  /** MDIS_LOG_ORIGIN was set: it wins over the origin a store's checkpoints already name. */
  logOriginGiven: boolean;
  /** The policy file; undefined means the default shipped with the package. */
  policyFile: string | undefined;
  bodyLimitBytes: number;
  rateLimit: Rate;
  /** Requests per client address to the routes that need no token (and to unknown paths). */
  publicRateLimit: Rate;
  /** Failed authentications (a bad or unknown token) per client address. */
  authFailureLimit: Rate;
  /** A person's exports (GET /v1/me/export), per person: each reads and signs its whole record. */
  exportRateLimit: Rate;
  accessLog: AccessLogConfig;
  logLevel: string;
  /** Where people and relying parties reach mdis (MDIS_PUBLIC_URL): the OIDC issuer, the WebAuthn origin and RP ID. */
  publicUrl: string | undefined;
  /** People's sessions: idle timeout and absolute lifetime. */
  session: { idleMinutes: number; absoluteHours: number };
  secrets: Secrets;
  /** Witnesses that cosign each checkpoint (MDIS_WITNESSES, `mdis serve --witness`). */
  witnesses: WitnessEndpoint[];
  /** How long a checkpoint waits for a witness's answer before it is published without it. */
  witnessTimeoutMs: number;
  /**
   * Wallets that may receive credentials through mdis's OpenID Provider (the authorization code
   * flow), registered by the operator (MDIS_WALLET_CLIENTS): public clients with PKCE.
   */
  walletClients: WalletClient[];
}

/** A wallet's public client: its id (`wallet_…`, which no world or service id can be) and redirect URI. */
export interface WalletClient {
  clientId: string;
  redirectUri: string;
}

/** A witness's URL and the verifier key of its cosignatures (C2SP tlog-cosignature). */
export interface WitnessEndpoint {
  url: string;
  verifierKey: string;
}

export interface Rate {
  perSecond: number;
  burst: number;
}

export const accessLogModes = ['errors', 'sample', 'all'] as const;

export interface AccessLogConfig {
  /** `errors`: server errors and slow requests; `sample`: those and one request in `sampleEvery`; `all`. */
  mode: (typeof accessLogModes)[number];
  sampleEvery: number;
  slowMs: number;
}

/** Overrides given on the command line win over the environment, which wins over defaults. */
export type ConfigOverrides = Partial<Omit<Config, 'secrets' | 'rateLimit' | 'session'>> & {
  rateLimit?: Partial<Config['rateLimit']>;
  session?: Partial<Config['session']>;
  secrets?: Partial<Secrets>;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const perSecond = overrides.rateLimit?.perSecond ?? positiveInt(env, 'MDIS_RATE_LIMIT_PER_SECOND', 200);
  const url = publicUrl(overrides.publicUrl ?? env.MDIS_PUBLIC_URL);
  const givenOrigin = overrides.logOrigin ?? (env.MDIS_LOG_ORIGIN || undefined);
  return {
    port: overrides.port ?? positiveInt(env, 'MDIS_PORT', 7070, { allowZero: true }),
    host: overrides.host ?? env.MDIS_HOST ?? '127.0.0.1',
    dataDir: path.resolve(overrides.dataDir ?? env.MDIS_DATA_DIR ?? './data'),
    databaseUrl: overrides.databaseUrl ?? databaseUrl(env),
    databaseSchema: overrides.databaseSchema ?? env.MDIS_DATABASE_SCHEMA,
    logOrigin: givenOrigin ?? logOriginOf(url),
    logOriginGiven: givenOrigin !== undefined,
    policyFile: overrides.policyFile ?? (env.MDIS_POLICY || undefined),
    bodyLimitBytes: overrides.bodyLimitBytes ?? positiveInt(env, 'MDIS_BODY_LIMIT', 256 * 1024),
    rateLimit: {
      perSecond,
      burst: overrides.rateLimit?.burst ?? positiveInt(env, 'MDIS_RATE_LIMIT_BURST', perSecond * 2),
    },
    publicRateLimit: overrides.publicRateLimit ?? rate(env, 'MDIS_PUBLIC_RATE_LIMIT', 50, 200),
    authFailureLimit: overrides.authFailureLimit ?? rate(env, 'MDIS_AUTH_FAILURE_LIMIT', 1, 20),
    exportRateLimit: overrides.exportRateLimit ?? exportRate(env),
    accessLog: overrides.accessLog ?? {
      mode: accessLogMode(env),
      sampleEvery: positiveInt(env, 'MDIS_ACCESS_LOG_SAMPLE', 100),
      slowMs: positiveInt(env, 'MDIS_SLOW_REQUEST_MS', 1000),
    },
    logLevel: overrides.logLevel ?? env.MDIS_LOG_LEVEL ?? 'info',
    publicUrl: url,
    session: {
      idleMinutes: overrides.session?.idleMinutes ?? positiveInt(env, 'MDIS_SESSION_IDLE_MINUTES', 30),
      absoluteHours: overrides.session?.absoluteHours ?? positiveInt(env, 'MDIS_SESSION_MAX_HOURS', 12),
    },
    secrets: { masterKey: overrides.secrets?.masterKey ?? masterKey(env) },
    witnesses: overrides.witnesses ?? list(env.MDIS_WITNESSES).map((w) => parseWitness(w, 'MDIS_WITNESSES')),
    witnessTimeoutMs: overrides.witnessTimeoutMs ?? positiveInt(env, 'MDIS_WITNESS_TIMEOUT_MS', 5_000),
    walletClients:
      overrides.walletClients ??
      list(env.MDIS_WALLET_CLIENTS).map((w) => parseWalletClient(w, 'MDIS_WALLET_CLIENTS')),
  };
}

/**
 * `wallet_<name>=<redirect URI>`: a wallet's public client. The id ends at its first '='; the
 * redirect URI is https, or a custom scheme of the wallet app (`org.example.wallet:/cb`).
 */
export function parseWalletClient(raw: string, source: string): WalletClient {
  const at = raw.indexOf('=');
  const clientId = raw.slice(0, at);
  const redirectUri = raw.slice(at + 1);
  const scheme = URL.canParse(redirectUri) ? new URL(redirectUri).protocol : '';
  if (at < 0 || !/^wallet_[a-z0-9-]{1,40}$/.test(clientId) || scheme === '' || scheme === 'http:') {
    throw new ConfigError(
      `${source} must be wallet_<name>=<https or app redirect URI> (name: a-z, 0-9, -), got "${raw}"`,
    );
  }
  return { clientId, redirectUri };
}

/** Items separated by commas or white space (verifier keys and URLs hold neither). */
function list(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).filter(Boolean);
}

/**
 * `<url>=<verifier key>`: a witness to send checkpoints to. The URL ends at its first '=', so it
 * must hold none (witness URLs have no query string).
 */
export function parseWitness(raw: string, source: string): WitnessEndpoint {
  const at = raw.indexOf('=');
  const url = raw.slice(0, at);
  const verifierKey = raw.slice(at + 1);
  const key = /^[^+\s]+\+[0-9a-f]{8}\+([A-Za-z0-9+/=]+)$/.exec(verifierKey)?.[1];
  const bytes = Buffer.from(key ?? '', 'base64');
  // 0x04: a cosignature/v1 key (C2SP tlog-cosignature), not a log's checkpoint key (0x01).
  if (at < 0 || !/^https?:\/\/[^\s=]+$/.test(url) || bytes.length !== 33 || bytes[0] !== 0x04) {
    throw new ConfigError(
      `${source} must be <http(s) URL>=<witness verifier key> (name+key id+base64 key), got "${raw}"`,
    );
  }
  return { url, verifierKey };
}

/** `mdis witness`: a witness's own settings, apart from an mdis instance's. */
export interface WitnessConfig {
  port: number;
  host: string;
  /** Holds the witness's key, its name, and the last checkpoint it cosigned of each log. */
  dataDir: string;
  /** The witness's key name, fixed on first start: a schema-less URL such as witness.example/w1. */
  name: string;
  /** Verifier keys of the logs it witnesses (each key's name is the log's origin). */
  logs: string[];
  logLevel: string;
}

export function loadWitnessConfig(
  overrides: Partial<WitnessConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): WitnessConfig {
  return {
    port: overrides.port ?? positiveInt(env, 'MDIS_WITNESS_PORT', 7380, { allowZero: true }),
    host: overrides.host ?? env.MDIS_WITNESS_HOST ?? '127.0.0.1',
    dataDir: path.resolve(overrides.dataDir ?? env.MDIS_WITNESS_DATA_DIR ?? './witness'),
    name: overrides.name ?? env.MDIS_WITNESS_NAME ?? 'mdis.example/witness',
    logs: overrides.logs?.length ? overrides.logs : list(env.MDIS_WITNESS_LOGS),
    logLevel: overrides.logLevel ?? env.MDIS_LOG_LEVEL ?? 'info',
  };
}

/** `<prefix>_PER_SECOND` and `<prefix>_BURST`; the burst defaults to the given one or the rate, whichever is more. */
function rate(env: NodeJS.ProcessEnv, prefix: string, perSecond: number, burst: number): Rate {
  const sustained = positiveInt(env, `${prefix}_PER_SECOND`, perSecond);
  return { perSecond: sustained, burst: positiveInt(env, `${prefix}_BURST`, Math.max(burst, sustained)) };
}

/** MDIS_EXPORTS_PER_HOUR sustained (default 6), up to MDIS_EXPORT_BURST at once (default 3). */
function exportRate(env: NodeJS.ProcessEnv): Rate {
  const perHour = positiveInt(env, 'MDIS_EXPORTS_PER_HOUR', 6);
  return { perSecond: perHour / 3600, burst: positiveInt(env, 'MDIS_EXPORT_BURST', 3) };
}

function accessLogMode(env: NodeJS.ProcessEnv): AccessLogConfig['mode'] {
  const raw = env.MDIS_ACCESS_LOG || 'errors';
  const mode = accessLogModes.find((m) => m === raw);
  if (mode === undefined) {
    throw new ConfigError(`MDIS_ACCESS_LOG must be one of ${accessLogModes.join(', ')}, got "${raw}"`);
  }
  return mode;
}

function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.MDIS_DATABASE_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('MDIS_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
  }
  return url;
}

/**
 * A log's default origin, a schema-less URL (C2SP tlog-checkpoint: no spaces, no '+'): the public
 * URL's host and path with `/log`. Unset, `serve` is reached at http://localhost on the port it
 * listens on: the origin is `localhost/log`, the same whatever the port, so that a command run
 * beside the server (which does not know the port) names the log as the server does.
 */
export function logOriginOf(publicUrl: string | undefined): string {
  const url = new URL(publicUrl ?? 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '').replaceAll('+', '%2B');
  return `${url.host}${path}/log`;
}

/** Unset, `serve` uses http://localhost and the port it listens on. */
function publicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`MDIS_PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`MDIS_PUBLIC_URL must be an http(s) URL without query or fragment, got "${raw}"`);
  }
  return url.href.replace(/\/$/, '');
}

function masterKey(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = env.MDIS_MASTER_KEY;
  if (raw === undefined || raw === '') return undefined;
  return parseMasterKey(raw, 'MDIS_MASTER_KEY');
}

/** Accepts 64 hex digits or the base64 of 32 bytes. */
export function parseMasterKey(raw: string, source: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${source} must be 32 bytes, as 64 hex digits or base64`);
  }
  return key;
}

function positiveInt(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  { allowZero = false } = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ConfigError(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`,
    );
  }
  return value;
}

/** Parses a CLI flag value the same way the environment is parsed. */
export function parsePort(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`--port must be an integer between 0 and 65535, got "${raw}"`);
  }
  return value;
}

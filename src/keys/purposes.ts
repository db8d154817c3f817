import type { CommandContext } from '../context.ts';
import { credentialKeys } from './credential-keys.ts';
import { exportKeys } from './export-keys.ts';
import { logKeys } from './log-keys.ts';
import { oidcKeys } from './oidc-keys.ts';

/** What a purpose's keys need: the store, the keyring that seals them, the log, the clock, their owner. */
export type KeyContext = Pick<
  CommandContext,
  'db' | 'keyring' | 'ledger' | 'now' | 'credentials' | 'exportKeys'
>;

/** One key as `mdis keys list` shows it. */
export interface KeyInfo {
  kid: string;
  createdAt: string;
  /** When a newer key took over signing (null: it signs now). */
  retiredAt: string | null;
  /** Until when it stays published for verification (null: no end set, e.g. the log's keys, export keys). */
  expiresAt: string | null;
}

/**
 * One kind of key mdis signs with. Rotating makes a new key the signing key and keeps the old
 * ones published until what they signed expires; each purpose says how, in its own module.
 */
export interface KeyPurpose {
  /** What the keys sign, for the CLI's help. */
  signs: string;
  rotate(ctx: KeyContext, actor: string): Promise<{ kid: string }>;
  list(ctx: KeyContext): Promise<KeyInfo[]>;
}

export const keyPurposes = {
  credential: credentialKeys,
  oidc: oidcKeys,
  log: logKeys,
  export: exportKeys,
} satisfies Record<string, KeyPurpose>;

export type KeyPurposeName = keyof typeof keyPurposes;

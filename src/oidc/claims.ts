import type { standings } from '../api/avatars.ts';
import type { SanctionKind } from '../policy/policy.ts';

/** Scopes a world may ask for, and the claims each releases: predicates, never records. */
export const scopeClaims = {
  openid: ['sub'],
  age: ['age_over_13', 'age_over_18'],
  nationality: ['nationality'],
  standing: ['standing'],
  avatar: ['avatar'],
} as const;
export type Scope = keyof typeof scopeClaims;

/** What the consent page says of each claim. */
export const claimDescriptions: Record<string, string> = {
  sub: 'a pseudonym for you in this world (it cannot be linked to you in other worlds)',
  age_over_13: 'whether you are over 13',
  age_over_18: 'whether you are over 18',
  nationality: 'your nationality (only if you tick it)',
  standing: 'your standing in this world: allowed, muted, suspended or banned',
  avatar: 'the avatar handle you bind here',
};

export type Standing = (typeof standings)[number];

/** Whether someone born on `birthDate` (YYYY-MM-DD) is at least `years` old on `today`. */
export function isOver(birthDate: string, years: number, today: Date): boolean {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const birthday = Date.UTC(y + years, m - 1, d);
  return today.getTime() >= birthday;
}

/** The worst sanction in force in this world: a ban anywhere, else this world's suspension or mute. */
export function standingIn(
  world: string,
  sanctions: readonly { kind: string; world_id: string | null; starts_at: string; ends_at: string | null }[],
  now: Date,
): Standing {
  const at = now.toISOString();
  const live = sanctions.filter((s) => s.starts_at <= at && (s.ends_at === null || s.ends_at > at));
  const has = (kind: SanctionKind, inWorld: boolean) =>
    live.some((s) => s.kind === kind && (!inWorld || s.world_id === null || s.world_id === world));
  if (has('ban', false)) return 'banned';
  if (has('suspension', true)) return 'suspended';
  if (has('mute', true)) return 'muted';
  return 'allowed';
}

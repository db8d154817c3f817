/**
 * The shapes of the names and ids mdis accepts, as JSON Schema patterns: written once here, used
 * by the route schemas (so the OpenAPI document shows them) and by the services' own checks.
 * A digital ID's shape sits with its check character in identity/digital-id.ts.
 */

/** A world's id: lower case, digits and hyphens. */
export const worldIdPattern = '^[a-z0-9][a-z0-9-]{1,39}$';

/** An avatar's handle in its world. */
export const handlePattern = '^[a-z0-9][a-z0-9._-]{0,63}$';

/** An action category: dotted lower-case words (`travel.air`). */
export const actionPattern = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$';

/** A SHA-256 digest in lower-case hex. */
export const sha256HexPattern = '^[0-9a-f]{64}$';

/** A session's id as its holder sees it (auth/session-service.ts `sessionIdOf`). */
export const sessionIdPattern = '^ses_[0-9a-z]{16}$';

/** A record id made by `newId(prefix)` (util/ids.ts): `case_7k2q9xvbw4t1r8n6`. */
export function recordIdPattern(
  prefix: 'case' | 'snc' | 'dsc' | 'sub' | 'prn' | 'apl' | 'ppr' | 'prs',
): string {
  return `^${prefix}_[0-9a-z]{16}$`;
}

/** A record id made by `newSortableId(prefix)` (util/ids.ts): `crd_0lq3x9a1b2c3dk7m2p4qz`. */
export function sortableIdPattern(prefix: 'crd'): string {
  return `^${prefix}_[0-9a-z]{21}$`;
}

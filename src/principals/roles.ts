/** The roles of DESIGN.md; each principal has exactly one. */
export const roles = [
  'admin',
  'registrar',
  'platform',
  'service',
  'moderator',
  'authority',
  'oversight',
  'auditor',
  'subject',
] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Which scope each role must carry: a platform its world, a service its actions, and so on. */
export const requiredScope: Partial<Record<Role, 'world' | 'actions' | 'jurisdiction' | 'subject'>> = {
  platform: 'world',
  service: 'actions',
  authority: 'jurisdiction',
  subject: 'subject',
};

/** An authenticated caller, as routes see it. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
  world: string | undefined;
  actions: string[] | undefined;
  jurisdiction: string | undefined;
  organisation: string | undefined;
  subject: string | undefined;
}

/**
 * The roles that oversee the others: creating or revoking one takes two admins (one proposes,
 * another approves), except on the operator's machine (`mdis admin`, break-glass).
 */
export const overseeingRoles: readonly Role[] = ['admin', 'oversight', 'auditor'];

export function needsTwoAdmins(role: Role): boolean {
  return overseeingRoles.includes(role);
}

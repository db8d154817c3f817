import type { SanctionHere, WorldAvatar } from '../api/avatars.ts';
import { gradesOf } from '../credit/grades.ts';
import type { Db } from '../db/database.ts';
import type { AvatarService, BoundAvatar } from '../identity/avatar-service.ts';
import { standingIn } from '../oidc/claims.ts';
import type { SanctionKind } from '../policy/policy.ts';
import type { Page } from '../util/cursor.ts';
import { isWorldAction } from './eligibility-index.ts';
import { type UnliftedSanction, unliftedSanctions } from './unlifted-sanctions.ts';

/**
 * What a world may know of its avatars' standing: the subject's grade and the sanctions in force
 * that hold there (public fields only), one avatar or a page of them. Never the identity: the
 * subject behind each avatar is only used to look these up.
 */
export class AvatarStandingReader {
  readonly #db: Db;
  readonly #avatars: AvatarService;
  readonly #now: () => Date;

  constructor(options: { db: Db; avatars: AvatarService; now: () => Date }) {
    this.#db = options.db;
    this.#avatars = options.avatars;
    this.#now = options.now;
  }

  async one(world: string, handle: string): Promise<WorldAvatar> {
    const [avatar] = await this.#withStanding(world, [await this.#avatars.bound(world, handle)]);
    return avatar!;
  }

  /** A page of a world's avatars by handle, each with its standing: three queries a page. */
  async page(world: string, page: { cursor?: string; limit: number }): Promise<Page<WorldAvatar>> {
    const bound = await this.#avatars.pageOf(world, page);
    return { ...bound, items: await this.#withStanding(world, bound.items) };
  }

  async #withStanding(world: string, bound: BoundAvatar[]): Promise<WorldAvatar[]> {
    const subjects = [...new Set(bound.map((b) => b.subject))];
    const [grades, sanctions] = await Promise.all([
      gradesOf(this.#db, subjects),
      unliftedSanctions(this.#db, subjects),
    ]);
    const now = this.#now();
    const at = now.toISOString();
    const here = sanctions.filter((s) => inForce(s, at) && holdsIn(s, world));
    return bound.map(({ avatar, subject }) => {
      const own = here.filter((s) => s.subject_id === subject);
      return {
        ...avatar,
        grade: grades.get(subject),
        standing: standingIn(world, own, now),
        sanctions: own.sort((a, b) => a.starts_at.localeCompare(b.starts_at)).map(publicView),
      };
    });
  }
}

function inForce(s: UnliftedSanction, at: string): boolean {
  return s.starts_at <= at && (s.ends_at === null || s.ends_at > at);
}

/** A ban holds everywhere; a restriction where it names world actions; the rest in their world. */
function holdsIn(s: UnliftedSanction, world: string): boolean {
  if (s.kind === 'ban') return true;
  if (s.kind === 'restriction') return actionsOf(s)?.some(isWorldAction) === true;
  return s.world_id === world;
}

function actionsOf(s: UnliftedSanction): string[] | undefined {
  return s.actions === null ? undefined : (JSON.parse(s.actions) as string[]);
}

function publicView(s: UnliftedSanction): SanctionHere {
  return {
    id: s.id,
    kind: s.kind as SanctionKind,
    world: s.world_id ?? undefined,
    // A world learns which of its own actions are restricted, not what the person may do
    // elsewhere (fly, borrow).
    actions: actionsOf(s)?.filter(isWorldAction),
    startsAt: s.starts_at,
    endsAt: s.ends_at ?? undefined,
  };
}

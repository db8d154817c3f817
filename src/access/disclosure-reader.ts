import type { DisclosureNotice } from '../api/disclosures.ts';
import type { Db } from '../db/database.ts';
import { keysetPage, newestFirst } from '../db/keyset.ts';
import { inTransaction } from '../db/transaction.ts';
import {
  DisclosureNotFoundError,
  DisclosureNotGrantedError,
  type NotFoundError,
  ReviewOverdueError,
} from '../errors.ts';
import type { AttributeGroup } from '../identity/attributes.ts';
import type { SubjectProfile, SubjectService } from '../identity/subject-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Principal } from '../principals/roles.ts';
import type { Page } from '../util/cursor.ts';
import { newSortableId } from '../util/ids.ts';
import { basisExpired, DisclosureRefusedError } from './disclosure-policy.ts';
import type { DisclosureDeps, DisclosureService } from './disclosure-service.ts';
import {
  type DisclosureDetail,
  type DisclosureRow,
  detail,
  disclosureSealer,
  type Identity,
  isOverdue,
  selectDisclosures,
  summarise,
  type Target,
  withReads,
} from './disclosure-view.ts';
import { logReviewOverdue } from './overdue-reviews.ts';

// Thrown inside a read's transaction when oversight revoked the disclosure meanwhile: rolls it back.
class RevokedMeanwhile extends Error {}

/**
 * Reads disclosures: metadata for oversight and auditors, and for the asking authority the
 * identity in the granted scope, each such read logged in the transaction that records it.
 */
export class DisclosureReader {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  /** What opens and seals a disclosure's texts. */
  readonly #sealing: { subjects: SubjectService; keyring: Keyring };
  readonly #subjects: SubjectService;
  readonly #now: () => Date;
  readonly #disclosures: DisclosureService;

  constructor(deps: DisclosureDeps & { disclosures: DisclosureService }) {
    this.#db = deps.db;
    this.#ledger = deps.ledger;
    this.#sealing = { subjects: deps.subjects, keyring: deps.keyring };
    this.#subjects = deps.subjects;
    this.#now = deps.now;
    this.#disclosures = deps.disclosures;
  }

  /**
   * One disclosure as `caller` may see it. Another authority's is not found (404, not 403), so that
   * ids cannot be probed. Reading a granted one whose legal basis has expired, or an emergency one
   * past its review deadline unreviewed, is refused (422) and the attempt logged.
   */
  async read(id: string, caller: Principal): Promise<DisclosureDetail> {
    const now = this.#now();
    let row = await this.#ownRow(id, caller);
    if (caller.role === 'auditor') return summarise(row, now);
    const identity = await this.#identifyRow(row, caller);
    // Re-read after a read: its count, and the status if oversight revoked it meanwhile.
    if (caller.role === 'authority' && row.status === 'granted') row = await this.#disclosures.row(id);
    const view = detail(row, await disclosureSealer(this.#sealing, row), now);
    return identity === undefined ? view : { ...view, identity };
  }

  /**
   * The identity behind a disclosure for the authority that asked, read and logged; undefined
   * when the disclosure is not (or no longer) granted.
   */
  async identify(id: string, authority: Principal): Promise<Identity | undefined> {
    return this.#identifyRow(await this.#ownRow(id, authority), authority);
  }

  async #ownRow(id: string, caller: Principal): Promise<DisclosureRow> {
    const row = await this.#disclosures.row(id);
    if (caller.role === 'authority' && row.authority_id !== caller.id) throw notFound(id);
    return row;
  }

  async #identifyRow(row: DisclosureRow, caller: Principal): Promise<Identity | undefined> {
    if (caller.role !== 'authority' || row.status !== 'granted') return undefined;
    // Checked here at each read, not left to the scheduled pass: access stops at the deadline.
    const now = this.#now();
    if (isOverdue(row, now)) await this.#refuseOverdue(row, caller, now.toISOString());
    if (basisExpired(row.basis_expires_at, now)) await this.#refuseExpired(row, caller);
    return this.#disclose(row, caller);
  }

  /** Disclosures about `subject` whose gag has ended, newest first. */
  async noticesFor(
    subject: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<DisclosureNotice>> {
    const query = selectDisclosures(this.#db)
      .where('subject_id', '=', subject)
      .where('gag_until', '<=', this.#now().toISOString());
    return keysetPage(query, page, newestFirst, (rows) =>
      rows.map(withReads).map((row) => ({
        id: row.id,
        requestedAt: row.created_at,
        jurisdiction: row.jurisdiction,
        legalBasis: row.basis_kind,
        offence: row.offence,
        scope: JSON.parse(row.scope) as AttributeGroup[],
        status: row.status,
        reads: row.reads,
        case: row.case_id ?? undefined,
        noticeAt: row.gag_until,
      })),
    );
  }

  async #refuseExpired(row: DisclosureRow, caller: Principal): Promise<never> {
    await inTransaction(this.#db, (trx) =>
      this.#ledger.append(trx, {
        kind: 'disclosure.read_refused',
        actor: caller.id,
        refs: { disclosure: row.id, subject: row.subject_id, reason: 'legal_basis_expired' },
      }),
    );
    throw new DisclosureRefusedError('legal_basis_expired', 'the legal basis of this disclosure has expired');
  }

  // The deadline's passing is logged here if no pass logged it yet, then the refused read.
  async #refuseOverdue(row: DisclosureRow, caller: Principal, at: string): Promise<never> {
    await inTransaction(this.#db, async (trx) => {
      await logReviewOverdue(trx, this.#ledger, row, at);
      await this.#ledger.append(trx, {
        kind: 'disclosure.read_refused',
        actor: caller.id,
        refs: { disclosure: row.id, subject: row.subject_id, reason: 'review_overdue' },
      });
    });
    throw new ReviewOverdueError(row.id, row.review_due_at!);
  }

  // Decrypts before the transaction (SQLite runs one at a time, and decryption needs no lock),
  // then records the read; the identity is returned only if that record commits.
  async #disclose(row: DisclosureRow, caller: Principal): Promise<Identity | undefined> {
    const db = this.#db;
    const ledger = this.#ledger;
    const subjects = this.#subjects;
    const late = row.subject_id === null ? await this.#resolveLate(row) : undefined;
    const subject = row.subject_id ?? late;
    const scope = JSON.parse(row.scope) as AttributeGroup[];
    const identity = subject === undefined ? { found: false } : inScope(await subjects.get(subject), scope);
    const at = this.#now().toISOString();
    try {
      await inTransaction(db, async (trx) => {
        // First the log entry, which takes the log's lock; a revocation committed before it is seen below.
        await ledger.append(trx, {
          kind: 'disclosure.read',
          actor: caller.id,
          refs: {
            disclosure: row.id,
            subject: subject ?? null,
            found: identity.found,
            scope: scope.join(','),
          },
          details: identity,
        });
        await trx
          .insertInto('disclosure_reads')
          .values({ id: newSortableId('drd'), disclosure_id: row.id, at, principal_id: caller.id })
          .execute();
        if (late !== undefined) {
          await trx
            .updateTable('disclosures')
            .set({ subject_id: late })
            .where('id', '=', row.id)
            .where('subject_id', 'is', null)
            .execute();
        }
        const now = await trx
          .selectFrom('disclosures')
          .select('status')
          .where('id', '=', row.id)
          .executeTakeFirst();
        if (now?.status !== 'granted') throw new RevokedMeanwhile();
      });
    } catch (error) {
      if (error instanceof RevokedMeanwhile) return undefined;
      throw error;
    }
    return identity;
  }

  // A target that named no one when asked may name someone now (an avatar bound since).
  async #resolveLate(row: DisclosureRow): Promise<string | undefined> {
    const sealer = await disclosureSealer(this.#sealing, row);
    return this.#disclosures.resolve(sealer.open('target', row.sealed_target) as Target);
  }
}

function inScope(profile: SubjectProfile, scope: readonly AttributeGroup[]): Identity {
  const identity: Identity = { found: true, subject: profile.id, kind: profile.kind };
  for (const group of scope) identity[group] = profile[group];
  return identity;
}

function notFound(id: string): NotFoundError {
  return new DisclosureNotFoundError(id);
}

/**
 * Identifies the person behind a granted disclosure's target for the authority that asked: the
 * avatar (or subject) → its subject → the decrypted attributes in the granted scope, with the read
 * logged and recorded. Throws a PolicyRefusedError when the disclosure is not (or no longer) granted.
 */
export async function identify(
  ctx: { disclosureReader: DisclosureReader },
  disclosureId: string,
  authority: Principal,
): Promise<Identity> {
  const identity = await ctx.disclosureReader.identify(disclosureId, authority);
  if (identity === undefined) {
    throw new DisclosureNotGrantedError(disclosureId);
  }
  return identity;
}

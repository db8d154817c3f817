import type { Selectable } from 'kysely';
import type { PrincipalProposal } from '../api/principals.ts';
import type { ActivationService, IssuedCode } from '../auth/activation-service.ts';
import type { Db } from '../db/database.ts';
import { keysetPage, newestFirst } from '../db/keyset.ts';
import type { PrincipalProposalsTable } from '../db/tables/principals.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import {
  OwnProposalError,
  PrincipalNotFoundError,
  PrincipalRevokedError,
  ProposalClosedError,
  ProposalNotFoundError,
  SecondAdminRequiredError,
} from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from '../policy/policy.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';
import { dayMs } from '../util/time.ts';
import {
  checkNewPrincipal,
  type NewPrincipal,
  type PrincipalRecord,
  type PrincipalService,
} from './principal-service.ts';
import { needsTwoAdmins, type Role } from './roles.ts';

/** How long a proposal waits for another admin when the policy does not say. */
export const defaultProposalDays = 7;

export type ProposalStatus = PrincipalProposal['status'];

/** A principal made: its token (shown once) and, for a person, its activation code. */
export interface CreatedPrincipal {
  principal: PrincipalRecord;
  token: string;
  activation?: IssuedCode;
}

type ProposalRow = Selectable<PrincipalProposalsTable> & { principal_name: string | null };

/**
 * Two admins for the powers that oversee (issue 13): through the API, creating or revoking an
 * admin, oversight or auditor principal is proposed by one admin and carried out only when another
 * approves, in one transaction with its log entries. Other roles are changed at once. The
 * operator's own machine (`mdis admin`) stays a break-glass path past this rule (principal-service).
 */
export class ProposalService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  readonly #principals: PrincipalService;
  readonly #activation: ActivationService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    principals: PrincipalService;
    activation: ActivationService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#policy = options.policy;
    this.#principals = options.principals;
    this.#activation = options.activation;
    this.#now = options.now;
  }

  /** `POST /v1/principals`: an overseeing role is proposed; any other is created at once. */
  async create(
    input: NewPrincipal,
    actor: string,
  ): Promise<CreatedPrincipal | { proposal: PrincipalProposal }> {
    const { role } = checkNewPrincipal(input);
    if (!needsTwoAdmins(role)) return this.#activation.createPrincipal(input, { actor });
    const id = await inTransaction(this.#db, (trx) =>
      this.#propose(trx, { change: 'create', role, input: JSON.stringify(input) }, actor),
    );
    return { proposal: await this.get(id) };
  }

  /** `POST /v1/principals/{id}/revoke`: an overseeing principal's revocation is proposed. */
  async revoke(
    principalId: string,
    actor: string,
  ): Promise<PrincipalRecord | { proposal: PrincipalProposal }> {
    const done = await inTransaction(this.#db, async (trx) => {
      const target = await trx
        .selectFrom('principals')
        .select(['role', 'revoked_at'])
        .where('id', '=', principalId)
        .executeTakeFirst();
      if (target === undefined) throw new PrincipalNotFoundError(principalId);
      if (target.revoked_at !== null) throw new PrincipalRevokedError(principalId);
      if (!needsTwoAdmins(target.role as Role))
        return this.#principals.revokeWithin(trx, principalId, { actor });
      const change = { change: 'revoke' as const, role: target.role as Role, principal: principalId };
      return { proposalId: await this.#propose(trx, change, actor) };
    });
    return 'proposalId' in done ? { proposal: await this.get(done.proposalId) } : done;
  }

  /**
   * Carries a pending proposal out, by an admin other than its proposer, in one transaction: the
   * principal created (with its token and, for a person, its activation code, answered to the
   * approver and to no one else) or revoked, and both log entries.
   */
  async approve(
    proposalId: string,
    approver: string,
  ): Promise<{ proposal: PrincipalProposal } & Partial<CreatedPrincipal>> {
    const done = await inTransaction(this.#db, async (trx) => {
      const row = await this.#decide(trx, proposalId, approver, 'approved');
      const change = { actor: approver, proposal: proposalId };
      let made: Partial<CreatedPrincipal>;
      if (row.change === 'create') {
        made = await this.#activation.createPrincipal(JSON.parse(row.input!) as NewPrincipal, {
          ...change,
          db: trx,
        });
        await trx
          .updateTable('principal_proposals')
          .set({ principal_id: made.principal!.id })
          .where('id', '=', proposalId)
          .execute();
      } else {
        made = { principal: await this.#principals.revokeWithin(trx, row.principal_id!, change) };
      }
      await this.#log(trx, 'principal.approved', { ...row, principal_id: made.principal!.id }, approver);
      return made;
    });
    return { proposal: await this.get(proposalId), ...done };
  }

  /** Refuses a pending proposal, by an admin other than its proposer: nothing changes but the log. */
  async refuse(proposalId: string, refuser: string): Promise<PrincipalProposal> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#decide(trx, proposalId, refuser, 'refused');
      await this.#log(trx, 'principal.refused', row, refuser);
    });
    return this.get(proposalId);
  }

  async get(proposalId: string): Promise<PrincipalProposal> {
    return this.#view(await this.#row(this.#db, proposalId));
  }

  /** Proposals newest first, all or of one status. */
  async list(options: {
    status?: ProposalStatus;
    cursor?: string;
    limit: number;
  }): Promise<Page<PrincipalProposal>> {
    const now = this.#now().toISOString();
    let query = this.#query(this.#db);
    if (options.status === 'pending' || options.status === 'expired') {
      query = query
        .where('principal_proposals.status', '=', 'pending')
        .where('expires_at', options.status === 'pending' ? '>' : '<=', now);
    } else if (options.status !== undefined) {
      query = query.where('status', '=', options.status);
    }
    return keysetPage(query, options, newestFirst, (rows) => rows.map((row) => this.#view(row)));
  }

  async #propose(
    trx: Tx,
    change: { change: 'create' | 'revoke'; role: Role; principal?: string; input?: string },
    actor: string,
  ): Promise<string> {
    // A proposal no one could approve would only wait to expire: the operator is told what to do.
    if (!(await this.#principals.anotherAdmin(trx, actor))) throw new SecondAdminRequiredError();
    const now = this.#now();
    const days = this.#policy.document.principals?.proposalDays ?? defaultProposalDays;
    const row = {
      id: newId('ppr'),
      change: change.change,
      role: change.role,
      principal_id: change.principal ?? null,
      input: change.input ?? null,
      status: 'pending' as const,
      created_at: now.toISOString(),
      created_by: actor,
      expires_at: new Date(now.getTime() + days * dayMs).toISOString(),
      decided_at: null,
      decided_by: null,
    };
    await trx.insertInto('principal_proposals').values(row).execute();
    await this.#log(trx, 'principal.proposed', row, actor);
    return row.id;
  }

  /**
   * Marks a pending proposal decided, if `decider` may: not its proposer (403), not one decided,
   * expired or whose proposer was revoked since (409). One conditional update: of two decisions at
   * once, one wins and the other is a 409.
   */
  async #decide(trx: Tx, proposalId: string, decider: string, status: 'approved' | 'refused') {
    const row = await this.#row(trx, proposalId);
    if (row.created_by === decider) throw new OwnProposalError(proposalId);
    const now = this.#now().toISOString();
    if (row.status !== 'pending') throw new ProposalClosedError(proposalId, `was already ${row.status}`);
    if (row.expires_at <= now) throw new ProposalClosedError(proposalId, `expired at ${row.expires_at}`);
    const proposer = await trx
      .selectFrom('principals')
      .select('revoked_at')
      .where('id', '=', row.created_by)
      .executeTakeFirst();
    if (proposer?.revoked_at !== null) {
      throw new ProposalClosedError(proposalId, 'was made by an admin revoked since');
    }
    const decided = await trx
      .updateTable('principal_proposals')
      .set({ status, decided_at: now, decided_by: decider })
      .where('id', '=', proposalId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(decided.numUpdatedRows) !== 1)
      throw new ProposalClosedError(proposalId, 'was decided meanwhile');
    return row;
  }

  async #log(
    trx: Tx,
    kind: 'principal.proposed' | 'principal.approved' | 'principal.refused',
    row: Pick<ProposalRow, 'id' | 'role' | 'change' | 'principal_id'>,
    actor: string,
  ): Promise<void> {
    await this.#ledger.append(trx, {
      kind,
      actor,
      refs: { proposal: row.id, role: row.role, change: row.change, principal: row.principal_id },
    });
  }

  #query(db: Db) {
    // A subquery, not a join: the keyset's columns (created_at, id) must name one table's.
    return db
      .selectFrom('principal_proposals')
      .selectAll()
      .select((eb) =>
        eb
          .selectFrom('principals')
          .select('name')
          .whereRef('principals.id', '=', 'principal_proposals.principal_id')
          .as('principal_name'),
      );
  }

  async #row(db: Db, proposalId: string): Promise<ProposalRow> {
    const row = await this.#query(db).where('id', '=', proposalId).executeTakeFirst();
    if (row === undefined) throw new ProposalNotFoundError(proposalId);
    return row;
  }

  #view(row: ProposalRow): PrincipalProposal {
    const expired = row.status === 'pending' && row.expires_at <= this.#now().toISOString();
    const asked = row.input === null ? undefined : (JSON.parse(row.input) as NewPrincipal).name;
    return {
      id: row.id,
      change: row.change,
      role: row.role as Role,
      status: expired ? 'expired' : row.status,
      principal: row.principal_id ?? undefined,
      name: row.principal_name ?? asked,
      proposedBy: row.created_by,
      proposedAt: row.created_at,
      expiresAt: row.expires_at,
      decidedBy: row.decided_by ?? undefined,
      decidedAt: row.decided_at ?? undefined,
    };
  }
}

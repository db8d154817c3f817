import type { AttributesChanged, SubjectProfile } from '../api/subjects.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { DuplicateIdentityError, SubjectErasedError, SubjectNotFoundError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { type AttributeVault, dataKeyObject } from './attribute-vault.ts';
import {
  type AttributeGroup,
  type AttributePatch,
  attributeGroups,
  checkEnrolment,
  checkGroup,
  type Enrolment,
  type Natural,
  naturalIdentifier,
  type SubjectKind,
} from './attributes.ts';
import { newDigitalId } from './digital-id.ts';

export type EnrolHook = (trx: Tx, subject: { id: string; kind: SubjectKind; actor: string }) => Promise<void>;

export interface SubjectSealer {
  seal(context: string, value: unknown): Buffer;
  open(context: string, sealed: Buffer): unknown;
}

export type { SubjectProfile };

/** What a text sealed under an erased subject's destroyed key reads as in a list. */
export const erasedText = '[erased]';

/** Enrols subjects and keeps their attribute groups, encrypted and versioned, in the vault. */
export class SubjectService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #vault: AttributeVault;
  readonly #now: () => Date;
  readonly #enrolHooks: EnrolHook[] = [];

  constructor(options: { db: Db; ledger: LedgerService; vault: AttributeVault; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#vault = options.vault;
    this.#now = options.now;
  }

  /**
   * Runs `hook` inside every enrolment's transaction, so that other domains (credit, the log)
   * start their record of a subject exactly when it exists; identity need not know them.
   */
  afterEnrol(hook: EnrolHook): void {
    this.#enrolHooks.push(hook);
  }

  /** Refuses an enrolment that breaks any rule, naming every field's problem (a ValidationError). */
  checkEnrolment(input: unknown): void {
    checkEnrolment(input, this.#now().toISOString().slice(0, 10));
  }

  /** Enrols a subject; a natural identity already enrolled is a DuplicateIdentityError. */
  async enrol(input: Enrolment, actor: string): Promise<SubjectProfile> {
    const now = this.#now().toISOString();
    checkEnrolment(input, now.slice(0, 10));
    const groups = { natural: input.natural, social: input.social ?? {}, signs: input.signs ?? {} };
    const dedupHash = this.#vault.keyedHash(naturalIdentifier(input.kind, input.natural));
    await this.#refuseDuplicate(this.#db, dedupHash);

    const id = newDigitalId();
    const { dataKey, wrapped } = this.#vault.newDataKey(id);
    try {
      await inTransaction(this.#db, async (trx) => {
        await trx
          .insertInto('subjects')
          .values({
            id,
            kind: input.kind,
            dedup_hash: dedupHash,
            wrapped_key: wrapped,
            created_at: now,
            updated_at: now,
            created_by: actor,
          })
          .execute();
        await trx
          .insertInto('subject_attributes')
          .values(
            attributeGroups.map((group) => ({
              subject_id: id,
              grp: group,
              version: 1,
              ciphertext: this.#vault.sealJson(dataKey, sealContext(id, group, 1), groups[group]),
              created_at: now,
              created_by: actor,
            })),
          )
          .execute();
        await this.#ledger.append(trx, {
          kind: 'subject.enrolled',
          actor,
          refs: { subject: id, kind: input.kind },
        });
        for (const hook of this.#enrolHooks) await hook(trx, { id, kind: input.kind, actor });
      });
    } catch (error) {
      // Two registrars enrolling the same person at once: the unique index decides.
      if (isUniqueViolation(error)) await this.#refuseDuplicate(this.#db, dedupHash);
      throw error;
    }
    // What was sealed, as `get` would read it back (through JSON), without reading and opening it.
    const sealed = JSON.parse(JSON.stringify(groups)) as typeof groups;
    return {
      id,
      kind: input.kind,
      createdAt: now,
      updatedAt: now,
      ...sealed,
      versions: { natural: 1, social: 1, signs: 1 },
    };
  }

  /** The current profile, decrypted; with `history`, every version of every group. */
  async get(id: string, options: { history?: boolean } = {}, db: Db = this.#db): Promise<SubjectProfile> {
    const subject = await db.selectFrom('subjects').selectAll().where('id', '=', id).executeTakeFirst();
    if (subject === undefined) throw new SubjectNotFoundError(id);
    if (subject.erased_at !== null) throw new SubjectErasedError(id);
    const dataKey = this.#vault.unwrapDataKey(id, subject.wrapped_key);
    const rows = await db
      .selectFrom('subject_attributes')
      .selectAll()
      .where('subject_id', '=', id)
      .orderBy('grp')
      .orderBy('version')
      .execute();
    const versions = rows.map((row) => ({
      group: row.grp as AttributeGroup,
      version: row.version,
      createdAt: row.created_at,
      createdBy: row.created_by,
      value: this.#vault.openJson(dataKey, sealContext(id, row.grp, row.version), row.ciphertext) as Record<
        string,
        unknown
      >,
    }));
    const current = (group: AttributeGroup) => versions.filter((v) => v.group === group).at(-1);
    const profile: SubjectProfile = {
      id,
      kind: subject.kind as SubjectKind,
      createdAt: subject.created_at,
      updatedAt: subject.updated_at,
      natural: current('natural')?.value ?? {},
      social: current('social')?.value ?? {},
      signs: current('signs')?.value ?? {},
      versions: {
        natural: current('natural')?.version ?? 0,
        social: current('social')?.version ?? 0,
        signs: current('signs')?.version ?? 0,
      },
    };
    if (options.history) profile.history = versions;
    return profile;
  }

  /**
   * Adds a version of each group the patch changes: given fields replace the current ones and
   * `null` removes one. A group left as it was gets no new version. Answers with the versions
   * only: the attributes are read back through a logged read.
   */
  async updateAttributes(id: string, patch: AttributePatch, actor: string): Promise<AttributesChanged> {
    const profile = await this.get(id);
    // Checked before the transaction, so that bad input opens none.
    const preview = changedGroups(profile, patch, this.#now().toISOString().slice(0, 10));
    let changed: { group: AttributeGroup; version: number }[] = [];
    try {
      changed = await inTransaction(this.#db, (trx) => this.updateAttributesWithin(trx, id, patch, actor));
    } catch (error) {
      if (isUniqueViolation(error)) await this.#refuseDuplicateOf(profile.kind, preview);
      throw error;
    }
    const after = changed.length === 0 ? profile : await this.get(id);
    const groups = changed.map((c) => c.group);
    return { id, kind: after.kind, updatedAt: after.updatedAt, versions: after.versions, changed: groups };
  }

  /**
   * The change of `updateAttributes` inside the caller's transaction (an accepted correction adds
   * its version exactly as a registrar's change would): checks the patch against the current
   * profile, writes a version of each group it changes and logs `subject.attributes_changed`.
   * Answers with the groups that got a new version, and their new version.
   */
  async updateAttributesWithin(
    trx: Tx,
    id: string,
    patch: AttributePatch,
    actor: string,
  ): Promise<{ group: AttributeGroup; version: number }[]> {
    const now = this.#now().toISOString();
    const profile = await this.get(id, {}, trx);
    const changed = changedGroups(profile, patch, now.slice(0, 10));
    if (changed.length === 0) return [];
    const natural = changed.find((c) => c.group === 'natural')?.value as Natural | undefined;
    const dedupHash = natural && this.#vault.keyedHash(naturalIdentifier(profile.kind, natural));
    const subject = await trx
      .selectFrom('subjects')
      .select(['wrapped_key', 'dedup_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (dedupHash !== undefined && dedupHash !== subject.dedup_hash) {
      await this.#refuseDuplicate(trx, dedupHash);
    }
    const dataKey = this.#vault.unwrapDataKey(id, subject.wrapped_key);
    await trx
      .insertInto('subject_attributes')
      .values(
        changed.map(({ group, value }) => {
          const version = profile.versions[group] + 1;
          return {
            subject_id: id,
            grp: group,
            version,
            ciphertext: this.#vault.sealJson(dataKey, sealContext(id, group, version), value),
            created_at: now,
            created_by: actor,
          };
        }),
      )
      .execute();
    await trx
      .updateTable('subjects')
      .set({ updated_at: now, ...(dedupHash === undefined ? {} : { dedup_hash: dedupHash }) })
      .where('id', '=', id)
      .execute();
    await this.#ledger.append(trx, {
      kind: 'subject.attributes_changed',
      actor,
      refs: { subject: id, groups: changed.map((c) => c.group).join(',') },
      details: changed,
    });
    return changed.map((c) => ({ group: c.group, version: profile.versions[c.group] + 1 }));
  }

  /**
   * The groups `patch` would change in `profile`, each checked as `updateAttributes` checks it
   * (a ValidationError naming the field otherwise); writes nothing.
   */
  checkChange(profile: SubjectProfile, patch: AttributePatch): AttributeGroup[] {
    return changedGroups(profile, patch, this.#now().toISOString().slice(0, 10)).map((c) => c.group);
  }

  /**
   * Seals and opens free text about a subject (report descriptions, rationales) under the
   * subject's own data key, so that erasing the subject erases it too.
   */
  async sealer(id: string, db: Db = this.#db): Promise<SubjectSealer> {
    const row = await db
      .selectFrom('subjects')
      .select(['wrapped_key', 'erased_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw new SubjectNotFoundError(id);
    if (row.erased_at !== null) throw new SubjectErasedError(id);
    const dataKey = dataKeyObject(this.#vault.unwrapDataKey(id, row.wrapped_key));
    return {
      seal: (context, value) => this.#vault.sealJson(dataKey, `${id}|${context}`, value),
      open: (context, sealed) => this.#vault.openJson(dataKey, `${id}|${context}`, sealed),
    };
  }

  /**
   * As `sealer`, for lists that show many subjects' records (sanctions, appeals): an erased
   * subject's texts open as `erasedText` instead of failing the whole list with a 410.
   */
  async listSealer(id: string, db: Db = this.#db): Promise<SubjectSealer> {
    try {
      return await this.sealer(id, db);
    } catch (error) {
      if (!(error instanceof SubjectErasedError)) throw error;
      return {
        seal: () => {
          throw error;
        },
        open: () => erasedText,
      };
    }
  }

  /** Throws unless a subject with this id exists (SubjectErasedError, 410, once it was erased). */
  async assertExists(id: string, db: Db = this.#db): Promise<void> {
    const row = await db.selectFrom('subjects').select('erased_at').where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new SubjectNotFoundError(id);
    if (row.erased_at !== null) throw new SubjectErasedError(id);
  }

  /** The subject's kind; SubjectNotFoundError or SubjectErasedError as `assertExists`. */
  async kindOf(id: string, db: Db = this.#db): Promise<SubjectKind> {
    const row = await db
      .selectFrom('subjects')
      .select(['kind', 'erased_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw new SubjectNotFoundError(id);
    if (row.erased_at !== null) throw new SubjectErasedError(id);
    return row.kind as SubjectKind;
  }

  // Two registrars changing two subjects to one identity at once: the unique index decided.
  async #refuseDuplicateOf(
    kind: SubjectKind,
    changed: { group: AttributeGroup; value: unknown }[],
  ): Promise<void> {
    const natural = changed.find((c) => c.group === 'natural')?.value as Natural | undefined;
    if (natural === undefined) return;
    await this.#refuseDuplicate(this.#db, this.#vault.keyedHash(naturalIdentifier(kind, natural)));
  }

  async #refuseDuplicate(db: Db, dedupHash: string): Promise<void> {
    const existing = await db
      .selectFrom('subjects')
      .select('id')
      .where('dedup_hash', '=', dedupHash)
      .executeTakeFirst();
    if (existing !== undefined) throw new DuplicateIdentityError(existing.id);
  }
}

function sealContext(id: string, group: string, version: number): string {
  return `${id}|${group}|${version}`;
}

function mergeFields(
  current: Record<string, unknown>,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The groups a patch changes, each checked, with its new value. */
function changedGroups(
  profile: SubjectProfile,
  patch: AttributePatch,
  today: string,
): { group: AttributeGroup; value: Record<string, unknown> }[] {
  const changed: { group: AttributeGroup; value: Record<string, unknown> }[] = [];
  for (const group of attributeGroups) {
    const fields = patch[group];
    if (fields === undefined) continue;
    const value = mergeFields(profile[group], fields);
    checkGroup(profile.kind, group, value, today);
    if (canonicalJson(value) !== canonicalJson(profile[group])) changed.push({ group, value });
  }
  return changed;
}

import type { Tx } from '../db/transaction.ts';

/**
 * Removes, inside the erasure's transaction, everything in the store that links a subject to the
 * person: its data key and identifier hash, its attributes, avatars (handles and pseudonyms), its
 * own principal's sign-in (passkeys, sessions, OpenID grants), access history, strikes and events,
 * the openings of the log's commitments to it and the salts of the digests about it. What stays, for statistics and for the
 * authorities' own records, names the subject only by its digital ID, which then opens nothing:
 * cases (handle blanked, texts sealed under the destroyed key), sanctions, appeals, disclosures.
 * It writes across domains on purpose: an erasure is all or nothing, in one transaction.
 */
export async function shredSubject(tx: Tx, subject: string, at: string): Promise<void> {
  // Crypto-shredding: without the wrapped key, whatever was sealed under it stays unreadable,
  // wherever a copy of it lies (backups, free pages of the file, the authorities' sealed texts).
  await tx
    .updateTable('subjects')
    .set({ wrapped_key: Buffer.alloc(0), dedup_hash: `erased:${subject}`, erased_at: at, updated_at: at })
    .where('id', '=', subject)
    .execute();
  await tx.deleteFrom('subject_attributes').where('subject_id', '=', subject).execute();
  await shredAvatars(tx, subject);
  await shredSignIn(tx, subject);
  await tx.deleteFrom('subject_reads').where('subject_id', '=', subject).execute();
  await tx.deleteFrom('eligibility_check_counts').where('subject_id', '=', subject).execute();
  await tx.deleteFrom('strikes').where('subject_id', '=', subject).execute();
  await tx.deleteFrom('conduct_events').where('subject_id', '=', subject).execute();
  // The person's own acts on its data: corrections (sealed under the destroyed key) and its lock.
  await tx.deleteFrom('corrections').where('subject_id', '=', subject).execute();
  await tx.deleteFrom('identity_locks').where('subject_id', '=', subject).execute();
  // The pseudonyms services knew the person by, and its credential offers and tokens not yet used
  // (its credentials themselves are revoked by the issuer's erasure hook, and stay for the lists).
  await tx.deleteFrom('service_pseudonyms').where('subject_id', '=', subject).execute();
  await tx.deleteFrom('credential_offers').where('subject_id', '=', subject).execute();
  await tx.deleteFrom('credential_access_tokens').where('subject_id', '=', subject).execute();
  await shredLogSalts(tx, subject);
}

/** Bindings and pseudonyms end; cases keep their world but not the handle, nor webhooks theirs. */
async function shredAvatars(tx: Tx, subject: string): Promise<void> {
  const avatars = await tx
    .selectFrom('avatars')
    .select(['pseudonym', 'handle'])
    .where('subject_id', '=', subject)
    .execute();
  await tx.deleteFrom('avatars').where('subject_id', '=', subject).execute();
  await tx.updateTable('cases').set({ handle: '' }).where('subject_id', '=', subject).execute();
  // Webhook bodies name avatars by pseudonym (and handle): those about the subject go.
  for (const avatar of avatars) {
    await tx
      .deleteFrom('outbox')
      .where((eb) =>
        eb.or([eb('payload', 'like', `%"${avatar.pseudonym}"%`), eb('payload', 'like', `%"${subject}"%`)]),
      )
      .execute();
  }
}

/** The subject's own principals: their names, passkeys, sessions and OpenID grants gone. */
async function shredSignIn(tx: Tx, subject: string): Promise<void> {
  const principals = (
    await tx.selectFrom('principals').select('id').where('subject_id', '=', subject).execute()
  ).map((row) => row.id);
  if (principals.length > 0) {
    // Revoked by the caller through PrincipalService (its trusted tokens); the name goes here.
    await tx.updateTable('principals').set({ name: 'erased' }).where('id', 'in', principals).execute();
    for (const table of ['passkeys', 'sessions', 'sign_in_notices', 'activation_codes'] as const) {
      await tx.deleteFrom(table).where('principal_id', 'in', principals).execute();
    }
    await tx.deleteFrom('webauthn_challenges').where('principal_id', 'in', principals).execute();
  }
  // oidc-provider's models (grants, sessions, codes, tokens) name the person by its digital ID.
  await tx.deleteFrom('oidc_models').where('payload', 'like', `%"${subject}"%`).execute();
}

/**
 * The openings of the log's commitments to the subject (its id, pseudonyms, handles, its own
 * principal), and the salts of the digests of entries about it: without them the entries commit
 * to no one anyone can name, and no guess of their details can be tested. The entries stay, so
 * the log verifies.
 */
async function shredLogSalts(tx: Tx, subject: string): Promise<void> {
  const committed = tx.selectFrom('ledger_openings').select('idx').where('subject_id', '=', subject);
  // Entries of the first format (before the log's switch to commitments) name the subject in
  // refs: a scan of the log, once per erasure, finds them.
  const named = tx.selectFrom('ledger_entries').select('idx').where('entry', 'like', `%"${subject}"%`);
  await tx
    .deleteFrom('ledger_salts')
    .where((eb) => eb.or([eb('idx', 'in', committed), eb('idx', 'in', named)]))
    .execute();
  await tx.deleteFrom('ledger_openings').where('subject_id', '=', subject).execute();
}

import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen. Credentials a world checks without calling home (issue 16): the issuer's signing keys,
// the offers (pre-authorized codes) and access tokens of OpenID4VCI, the nonces already spent,
// and what is needed to revoke each credential issued: never its claim values.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bytes = engine === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('credential_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('sealed_jwk', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema
    .createTable('credential_offers')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('tx_code_hash', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('configurations', 'text', (c) => c.notNull())
    .addColumn('with_grade', 'integer', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('credential_offers_by_subject')
    .on('credential_offers')
    .columns(['subject_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('credential_access_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('configurations', 'text', (c) => c.notNull())
    .addColumn('with_grade', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('credential_spent_nonces')
    .addColumn('nonce_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('credential_status_lists')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('allocated', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status_list', 'integer', (c) => c.notNull())
    .addColumn('status_index', 'integer', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addUniqueConstraint('credentials_status_entry', ['status_list', 'status_index'])
    .execute();
  await db.schema
    .createIndex('credentials_by_subject')
    .on('credentials')
    .columns(['subject_id', 'issued_at'])
    .execute();
  await db.schema
    .createIndex('credentials_revoked_by_list')
    .on('credentials')
    .columns(['status_list', 'revoked_at'])
    .execute();
}

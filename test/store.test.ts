import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openStore } from '../src/db/database.ts';
import { postgresUrl, tempDir } from './_util.ts';

const skip = postgresUrl === undefined ? 'SKIPPED: set MDIS_TEST_POSTGRES_URL to run this test' : false;

test('a PostgreSQL store migrates and introspects its own schema only, while others come and go', {
  skip,
}, async () => {
  const schemas = ['a', 'b'].map((name) => `t_store_${name}_${randomBytes(4).toString('hex')}`);
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  // Other stores of the same database are created and dropped throughout: the migration must not
  // trip over a schema that vanishes while it looks for its own tables.
  let churning = true;
  const churn = (async () => {
    while (churning) {
      const other = `t_store_churn_${randomBytes(4).toString('hex')}`;
      await admin.query(`create schema ${other}; create table ${other}.x (id int)`);
      await admin.query(`drop schema ${other} cascade`);
    }
  })();
  try {
    const stores = await Promise.all(
      schemas.map((schema) =>
        openStore({ dataDir: tempDir('store'), databaseUrl: postgresUrl, databaseSchema: schema }),
      ),
    );
    for (const [i, store] of stores.entries()) {
      const tables = await store.db.introspection.getTables();
      assert.ok(tables.some((t) => t.name === 'subjects'));
      assert.deepEqual([...new Set(tables.map((t) => t.schema))], [schemas[i]]);
      assert.deepEqual(await store.db.introspection.getSchemas(), [{ name: schemas[i] }]);
      await store.close();
    }
  } finally {
    churning = false;
    await churn;
    for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { type Db, openStore, type Store, sqliteFileName } from './database.ts';
import { GroupCommit } from './group-commit.ts';

describe('group commit (SQLite file)', () => {
  let dir: string;
  let store: Store;
  let db: Db;
  /** A second connection to the same file: it sees only what was committed. */
  let reader: Database.Database;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdis-group-commit-'));
    store = await openStore({ dataDir: dir, databaseUrl: undefined, databaseSchema: undefined });
    db = store.db;
    await sql`create table scratch (id text primary key)`.execute(db);
    reader = new Database(path.join(dir, sqliteFileName), { readonly: true });
  });
  after(async () => {
    reader.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const insert = (trx: Db, id: string) => sql`insert into scratch (id) values (${id})`.execute(trx);
  const committed = (id: string) =>
    reader.prepare('select 1 from scratch where id = ?').get(id) !== undefined;

  test('units that arrive during a transaction share the next one; each is committed when it resolves', async () => {
    const group = new GroupCommit(db);
    const transactions: Db[] = [];
    const settled = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        group
          .run(async (trx) => {
            transactions.push(trx);
            await insert(trx, `a${i}`);
            return i;
          })
          .then((value) => ({ value, visible: committed(`a${i}`) })),
      ),
    );
    assert.deepEqual(
      settled.map((s) => s.value),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.ok(
      settled.every((s) => s.visible),
      'a unit resolved before its row was committed',
    );
    // The first found nothing running and went alone; the nine others waited for it, together.
    assert.equal(new Set(transactions).size, 2);
  });

  test('a failing unit gets its own error and writes nothing; the rest of its group is committed', async () => {
    const group = new GroupCommit(db);
    const outcomes = await Promise.allSettled(
      ['b0', 'b1', 'b1', 'b2'].map((id) => group.run((trx) => insert(trx, id).then(() => id))),
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    const failure = outcomes[2] as PromiseRejectedResult;
    assert.equal((failure.reason as { code?: string }).code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
    assert.deepEqual(reader.prepare("select id from scratch where id like 'b%' order by id").pluck().all(), [
      'b0',
      'b1',
      'b2',
    ]);
  });

  test('groups are capped at maxGroup units', async () => {
    const group = new GroupCommit(db, { maxGroup: 3 });
    const transactions: Db[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        group.run(async (trx) => {
          transactions.push(trx);
          await insert(trx, `c${i}`);
        }),
      ),
    );
    // One alone, then the six that waited in groups of three.
    assert.equal(new Set(transactions).size, 3);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkClockOffsetAllowed } from '../src/cli/clock-offset.ts';
import { recordStoreOrigin, storeIsNew, storeMadeByDemo } from '../src/demo/store-origin.ts';
import { logOriginFor, storedLogOrigin } from '../src/ledger/log-origin.ts';
import { forEachStore } from './_util.ts';

// Who made the store, and the log's name, on both engines (`mdis serve` reads and writes them).

forEachStore('the store’s maker and the log’s origin', (h) => {
  test('the first maker recorded on a new store stays; a store in use records none', async () => {
    const db = h.ctx.db;
    assert.equal(await storeIsNew(db), true);
    assert.equal(await storeMadeByDemo(db), false, 'no record: not the demo’s');
    await assert.rejects(checkClockOffsetAllowed(db, false), /--clock-offset is for demonstrations/);
    await checkClockOffsetAllowed(db, true); // --demo on a new store: the demo makes it now

    await recordStoreOrigin(db, 'demo', new Date('2026-12-01T00:00:00Z'));
    await recordStoreOrigin(db, 'operator', new Date('2026-12-02T00:00:00Z'));
    assert.equal(await storeMadeByDemo(db), true, 'the first record stays');
    const rows = await db.selectFrom('store_origin').selectAll().execute();
    assert.deepEqual(rows, [{ id: 1, made_by: 'demo', made_at: '2026-12-01T00:00:00.000Z' }]);
    await checkClockOffsetAllowed(db, false);
  });

  test('an operator’s store: refused even with --demo once it has principals', async () => {
    const db = h.ctx.db;
    await db.deleteFrom('store_origin').execute();
    await h.token({ role: 'auditor' });
    assert.equal(await storeIsNew(db), false);
    await recordStoreOrigin(db, 'demo', new Date());
    assert.equal(await storeMadeByDemo(db), false, 'a store in use is not made by the demo later');
    await assert.rejects(checkClockOffsetAllowed(db, true), /--clock-offset is for demonstrations/);
  });

  test('the log keeps the origin its checkpoints name, unless MDIS_LOG_ORIGIN is set', async () => {
    const db = h.ctx.db;
    await h.ctx.ledger.checkpoint();
    const stored = await storedLogOrigin(db);
    assert.equal(stored, h.ctx.ledger.origin);
    assert.equal(stored, 'localhost/log', 'no public URL: named after localhost');
    const moved = { logOrigin: 'registry.example.org/log', logOriginGiven: false };
    assert.equal(await logOriginFor(db, moved), 'localhost/log');
    assert.equal(await logOriginFor(db, { ...moved, logOriginGiven: true }), 'registry.example.org/log');
  });
});

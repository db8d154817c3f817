import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { forEachStore } from './_util.ts';

// Keyset paging walks every row once, in order, whatever the page size.
forEachStore('keyset paging', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  before(async () => {
    f = await conductFixture(h);
    await bindReporters(h, f.world, ['r0', 'r1', 'r2', 'r3', 'r4']);
    for (let i = 0; i < 5; i++) {
      await h.call('POST', '/v1/principals', { token: f.admin, body: { role: 'registrar' } });
      await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: {
          ...report(f.world, `r${i}`),
          category: ['spam', 'fraud', 'cheating', 'harassment', 'hate_speech'][i],
        },
      });
      await h.call('POST', `/v1/worlds/${f.world}/subscriptions`, {
        token: f.platform,
        body: { url: `https://hooks.example/${i}`, events: ['case.decided'] },
      });
    }
  });

  async function walk(path: string, token: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await h.call('GET', `${path}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      ids.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.cursor;
    } while (cursor !== undefined);
    return ids;
  }

  for (const [name, path, token, count] of [
    ['principals', '/v1/principals', () => f.admin, 11],
    ['cases', '/v1/cases', () => f.moderator, 5],
    ['subscriptions', '/v1/worlds/plaza/subscriptions', () => f.platform, 5],
  ] as const) {
    test(`${name} page by page: each once, none missed`, async () => {
      const ids = await walk(path, token());
      assert.equal(new Set(ids).size, ids.length, 'no repeats');
      assert.ok(ids.length >= count, `${ids.length} of at least ${count}`);
      const all = await h.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=500`, {
        token: token(),
      });
      assert.deepEqual(
        ids,
        all.body.items.map((item: { id: string }) => item.id),
      );
    });
  }
});

// Reports filed by worlds, each opening or joining the open case of its avatar and category,
// against raw single-row insert transactions on the same SQLite file: one at a time, and as a
// server meets them, many in flight at once (they are then written a group per transaction).
import type Database from 'better-sqlite3';
import type { AppContext } from '../src/context.ts';
import { hourMs } from '../src/util/time.ts';
import { enrolPeople, openBenchStore, pick, seeding, worlds } from './_fixtures.ts';
import { percent, progress, type Row, rates } from './_measure.ts';

const avatarCount = 2_000;
/** Reports about something the avatar has not been reported for yet: they open a case. */
const newCategoryShare = 0.1;
/** Reports in flight at once: as from the 50 connections of the HTTP benchmark, and a few more. */
const inFlight = 64;

interface Avatar {
  world: string;
  handle: string;
  /** What it is usually reported for. */
  usual: string;
}

export async function reportsFiled(): Promise<{ rows: Row[]; notes: string[] }> {
  const store = await openBenchStore();
  try {
    const { ctx } = store;
    const sqlite = ctx.store.sqlite!;
    progress(`enforcement: binding ${avatarCount.toLocaleString('en')} avatars and opening their cases…`);
    const categories = negativeCategories(ctx);
    const avatars = await seeding(ctx, () => bindAvatars(ctx, categories));
    // A step prime to the number of avatars: the first round reports each avatar once.
    const file = async (i: number) => {
      const avatar = avatars[(i * 7919) % avatars.length]!;
      const category =
        i >= avatars.length && Math.random() < newCategoryShare ? pick(categories) : avatar.usual;
      const answer = await ctx.reports.file(report(avatar, category, i), 'bench');
      if (answer.duplicate) throw new Error(`report ${i} was taken for a duplicate`);
    };
    await seeding(ctx, async () => {
      for (let i = 0; i < avatars.length; i++) await file(i);
    });

    progress('enforcement: filing reports…');
    const count = (table: string) => rowCount(sqlite, table);
    const before = { cases: count('cases'), ledger: count('ledger_entries') };
    let filed = 0;
    let next = avatars.length;
    const fileOne = () => {
      filed++;
      return file(next++);
    };
    const rate = await rates({
      file: { async: fileOne },
      concurrent: { async: () => Promise.all(Array.from({ length: inFlight }, fileOne)) },
      raw: { sync: rawReportInsert(sqlite) },
    });
    const opened = (count('cases') - before.cases) / filed;
    const ledgerEntries = (count('ledger_entries') - before.ledger) / filed;
    return {
      rows: [
        {
          name: `reports filed, ${inFlight} in flight (ctx.reports.file)`,
          value: rate.concurrent * inFlight,
          baseline: 'raw 1-row insert transaction',
          baselineValue: rate.raw,
          target: { rateAtLeast: 2_000 },
        },
        {
          name: 'report filed, one at a time (ctx.reports.file)',
          value: rate.file,
          baseline: 'raw 1-row insert transaction',
          baselineValue: rate.raw,
        },
      ],
      notes: [
        `reports: ${avatarCount.toLocaleString('en')} avatars each reported once beforehand; ${percent(opened)} of the reports measured opened a case, the rest joined one; ${ledgerEntries.toFixed(2)} ledger entries per report; in flight, reports that arrive while a transaction is under way are written together in the next (group commit), each acknowledged after its commit`,
      ],
    };
  } finally {
    await store.remove();
  }
}

/** The baseline: a row like those filed, in its own durable transaction. */
function rawReportInsert(sqlite: Database.Database): (i: number) => unknown {
  const sample = sqlite.prepare('select * from reports limit 1').get() as object;
  const insert = sqlite.prepare(
    `insert into reports (id, case_id, reporter_hash, sealed, occurred_at, received_at, received_by)
     values (@id, @case_id, @reporter_hash, @sealed, @occurred_at, @received_at, @received_by)`,
  );
  return sqlite.transaction((i: number) =>
    insert.run({ ...sample, id: `rpt_raw${i}`, reporter_hash: `raw${i}` }),
  );
}

/** Rows in `table`, or 0 if there is no such table (yet). */
function rowCount(sqlite: Database.Database, table: string): number {
  const exists = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table);
  if (exists === undefined) return 0;
  return (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

/** Avatars in two worlds, two per subject, each with the category it is usually reported for. */
async function bindAvatars(ctx: AppContext, categories: string[]): Promise<Avatar[]> {
  const inWorlds = worlds.slice(0, 2);
  for (const id of inWorlds) await ctx.worlds.create({ id, name: id }, 'bench');
  const subjects = await enrolPeople(ctx, avatarCount / inWorlds.length);
  const avatars: Avatar[] = [];
  for (const [i, subject] of subjects.entries()) {
    for (const world of inWorlds) {
      const avatar = { world, handle: `avatar-${i}`, usual: categories[avatars.length % categories.length]! };
      await ctx.avatars.bind({ world, handle: avatar.handle, subject }, 'bench');
      avatars.push(avatar);
    }
  }
  return avatars;
}

function negativeCategories(ctx: AppContext): string[] {
  return Object.entries(ctx.policy.document.categories)
    .filter(([, category]) => category.polarity === 'negative')
    .map(([name]) => name);
}

// Another avatar for each report an avatar receives: the service takes a second report from the
// same reporter about the same case for a duplicate. Avatar i is reported in rounds of
// `avatarCount` reports (the step is prime to it), so the round is the reporter's distance.
function reporterFor(avatar: Avatar, i: number): string {
  const perWorld = avatarCount / 2;
  const own = Number(avatar.handle.slice('avatar-'.length));
  return `avatar-${(own + 1 + (Math.floor(i / avatarCount) % (perWorld - 1))) % perWorld}`;
}

function report(avatar: Avatar, category: string, i: number) {
  return {
    world: avatar.world,
    handle: avatar.handle,
    category,
    // A reporter is another avatar bound in the same world (the service refuses anyone else).
    reporter: reporterFor(avatar, i),
    description: 'Kept sending threats in private messages after being blocked.',
    evidence: [{ sha256: 'e'.repeat(64), uri: `https://evidence.example/${i}` }],
    occurredAt: new Date(Date.now() - hourMs).toISOString(),
  };
}

// Identity: enrolment, and the avatar → subject lookup every report, event and identification
// starts with, against raw better-sqlite3 on the same file.
import type { AppContext } from '../src/context.ts';
import { buildServer } from '../src/http/server.ts';
import { openBenchStore, person, seeding, worlds } from './_fixtures.ts';
import { progress, type Row, rates, rounds, type Suite, seconds, shuffle } from './_measure.ts';

const avatarCount = 20_000;

interface AvatarKey {
  world: string;
  handle: string;
  subject: string;
}

export const identity: Suite = {
  name: 'identity',
  async run() {
    const store = await openBenchStore();
    try {
      const { row, subjects } = await enrolment(store.ctx);
      const keys = await seeding(store.ctx, () => bindAvatars(store.ctx, subjects));
      return {
        title: `identity — SQLite (WAL, synchronous=FULL), ${avatarCount} avatars; best of ${rounds} alternating rounds, ${seconds} s in all`,
        rows: [row, ...(await lookups(store.ctx, keys))],
      };
    } finally {
      await store.remove();
    }
  },
};

/**
 * Enrolment: validation, de-duplication, a data key, three sealed groups, one durable transaction
 * and the profile read back; against the same rows inserted raw, one transaction each.
 */
async function enrolment(ctx: AppContext): Promise<{ row: Row; subjects: string[] }> {
  progress('identity: enrolling subjects…');
  const sqlite = ctx.store.sqlite!;
  const subjects = [(await ctx.subjects.enrol(person(0), 'bench')).id];
  const subjectRow = sqlite.prepare('select * from subjects where id = ?').get(subjects[0]) as object;
  const attributeRows = sqlite
    .prepare('select * from subject_attributes where subject_id = ?')
    .all(subjects[0]) as object[];
  const insertSubject = sqlite.prepare(
    `insert into subjects (id, kind, dedup_hash, wrapped_key, created_at, updated_at, created_by)
     values (@id, @kind, @dedup_hash, @wrapped_key, @created_at, @updated_at, @created_by)`,
  );
  const insertAttribute = sqlite.prepare(
    `insert into subject_attributes (subject_id, grp, version, ciphertext, created_at, created_by)
     values (@subject_id, @grp, @version, @ciphertext, @created_at, @created_by)`,
  );
  const insertRaw = sqlite.transaction((id: string) => {
    insertSubject.run({ ...subjectRow, id, dedup_hash: id });
    for (const row of attributeRows) insertAttribute.run({ ...row, subject_id: id });
  });
  const rate = await rates({
    enrol: { async: async (i) => subjects.push((await ctx.subjects.enrol(person(i + 1), 'bench')).id) },
    raw: { sync: (i) => insertRaw(`raw-${i}`) },
  });
  return {
    row: {
      name: 'enrol (ctx.subjects.enrol)',
      value: rate.enrol,
      baseline: 'raw insert of the same rows',
      baselineValue: rate.raw,
    },
    subjects,
  };
}

async function bindAvatars(ctx: AppContext, subjects: string[]): Promise<AvatarKey[]> {
  progress(`identity: binding ${avatarCount} avatars to ${subjects.length} subjects…`);
  for (const id of worlds) await ctx.worlds.create({ id, name: id }, 'bench');
  const keys: AvatarKey[] = [];
  for (let i = 0; i < avatarCount; i++) {
    const key = {
      world: worlds[i % worlds.length]!,
      handle: `avatar-${i}`,
      subject: subjects[i % subjects.length]!,
    };
    await ctx.avatars.bind(key, 'bench');
    keys.push(key);
  }
  return shuffle(keys);
}

/**
 * Avatar → subject: the registry's hot read, against a reused raw point select, same keys, same
 * order; and the same lookup as a platform sees it, through routing, auth and serialisation
 * (injected, no sockets).
 */
async function lookups(ctx: AppContext, keys: AvatarKey[]): Promise<Row[]> {
  const key = (i: number) => keys[i % keys.length]!;
  const select = ctx.store.sqlite!.prepare(
    'select subject_id from avatars where world_id = ? and handle = ?',
  );
  for (let i = 0; i < 1000; i++) {
    const { world, handle, subject } = key(i);
    const viaService = await ctx.avatars.subjectOf(world, handle);
    const raw = (select.get(world, handle) as { subject_id: string }).subject_id;
    if (viaService !== subject || raw !== subject) throw new Error(`wrong subject for ${world}/${handle}`);
  }
  const app = await buildServer(ctx);
  try {
    const { token } = await ctx.principals.create({ role: 'admin' });
    const headers = { authorization: `Bearer ${token}` };
    const get = async (i: number) => {
      const url = `/v1/worlds/${key(i).world}/avatars/${key(i).handle}`;
      const response = await app.inject({ method: 'GET', url, headers });
      if (response.statusCode !== 200) throw new Error(`GET avatar: ${response.statusCode} ${response.body}`);
    };
    progress('identity: looking avatars up…');
    const rate = await rates({
      raw: { sync: (i) => select.get(key(i).world, key(i).handle) },
      service: { async: (i) => ctx.avatars.subjectOf(key(i).world, key(i).handle) },
      inject: { async: get },
    });
    const baseline = { baseline: 'raw point select', baselineValue: rate.raw };
    return [
      {
        name: 'avatar → subject (ctx.avatars.subjectOf)',
        value: rate.service,
        ...baseline,
        target: { ratioAtLeast: 0.5 },
      },
      { name: 'GET /v1/worlds/:world/avatars/:handle (inject)', value: rate.inject, ...baseline },
    ];
  } finally {
    await app.close();
  }
}

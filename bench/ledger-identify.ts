// Identification under a granted disclosure: the authority's read of who is behind an avatar, with
// the read logged and recorded in one durable transaction; against the plain avatar → subject →
// decrypted profile lookups without the disclosure machinery.
import { identify } from '../src/access/disclosure-reader.ts';
import type { AppContext } from '../src/context.ts';
import { dayMs } from '../src/util/time.ts';
import { person } from './_fixtures.ts';
import { progress, type Row } from './_measure.ts';

const world = 'plaza';
const avatarCount = 200;
const disclosureCount = 20;
/** Calls of each, in alternating chunks, so that load elsewhere hits both alike. */
const calls = 2_000;
const chunk = 100;

export async function identification(ctx: AppContext): Promise<{ rows: Row[]; notes: string[] }> {
  progress('ledger: granting disclosures and identifying…');
  const { targets, authority } = await grantedDisclosures(ctx);
  const ledgerBefore = ctx.ledger.size;
  const timed: number[] = [];
  const plain: number[] = [];
  // The floor of anything that writes: one durable transaction of one small row.
  const sqlite = ctx.store.sqlite!;
  sqlite.exec('create table bench_scratch (id integer primary key, at text not null)');
  const insert = sqlite.prepare('insert into bench_scratch (at) values (?)');
  const commits: number[] = [];
  for (let done = 0; done < calls; done += chunk) {
    for (let k = done; k < done + chunk; k++) {
      const started = performance.now();
      insert.run(new Date().toISOString());
      commits.push(performance.now() - started);
    }
    for (let k = done; k < done + chunk; k++) {
      const target = targets[k % targets.length]!;
      const started = performance.now();
      const identity = await identify(ctx, target.disclosure, authority);
      timed.push(performance.now() - started);
      if (identity.subject !== target.subject || identity.natural === undefined)
        throw new Error('wrong identity');
    }
    for (let k = done; k < done + chunk; k++) {
      const target = targets[k % targets.length]!;
      const started = performance.now();
      const subject = await ctx.avatars.subjectOf(world, target.handle);
      await ctx.subjects.get(subject!);
      plain.push(performance.now() - started);
    }
  }
  sqlite.exec('drop table bench_scratch');
  await ctx.ledger.sync();
  const at = (sorted: number[], q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  for (const list of [timed, plain, commits]) list.sort((a, b) => a - b);
  return {
    rows: [
      {
        name: 'identification p99 (identify: granted disclosure → identity)',
        value: at(timed, 0.99),
        unit: 'ms',
        baseline: 'avatars.subjectOf + subjects.get p99',
        baselineValue: at(plain, 0.99),
        target: { msAtMost: 5 },
      },
      {
        name: '  … p50',
        value: at(timed, 0.5),
        unit: 'ms',
        baseline: 'avatars.subjectOf + subjects.get p50',
        baselineValue: at(plain, 0.5),
      },
    ],
    notes: [
      `identification: ${calls.toLocaleString('en')} calls over ${targets.length} disclosures (warrants for harassment, natural and social attributes, approved by oversight through the services) of avatars in one world; each decrypts the attributes in scope and commits ${((ctx.ledger.size - ledgerBefore) / calls).toFixed(2)} ledger entries (disclosure.read) and a disclosure_reads row in one durable transaction; a raw durable 1-row insert transaction, in the same chunks, takes ${at(commits, 0.5).toFixed(1)} ms p50, ${at(commits, 0.99).toFixed(1)} ms p99`,
    ],
  };
}

async function grantedDisclosures(ctx: AppContext) {
  await ctx.worlds.create({ id: world, name: world }, 'bench');
  const handles: { handle: string; subject: string }[] = [];
  for (let i = 0; i < avatarCount; i++) {
    const subject = (await ctx.subjects.enrol(person(i), 'bench')).id;
    const handle = `avatar-${i}`;
    await ctx.avatars.bind({ world, handle, subject }, 'bench');
    handles.push({ handle, subject });
  }
  // A disclosure for harassment rests on a case about its target: a witness's report opens one.
  const witness = (await ctx.subjects.enrol(person(avatarCount), 'bench')).id;
  await ctx.avatars.bind({ world, handle: 'witness', subject: witness }, 'bench');
  const authority = (await ctx.principals.create({ role: 'authority', jurisdiction: 'GB' })).principal;
  const oversight = (await ctx.principals.create({ role: 'oversight' })).principal;
  const expiresAt = new Date(ctx.now().getTime() + 60 * dayMs).toISOString();
  const targets: { handle: string; subject: string; disclosure: string }[] = [];
  for (let i = 0; i < disclosureCount; i++) {
    const { handle, subject } = handles[(i * 7) % handles.length]!;
    const { caseId } = await ctx.reports.file(
      {
        world,
        handle,
        category: 'harassment',
        reporter: 'witness',
        description: 'Kept sending threats after being blocked',
        evidence: [{ sha256: 'c'.repeat(64), uri: `https://evidence.example/${handle}` }],
        occurredAt: new Date(ctx.now().getTime() - 60_000).toISOString(),
      },
      'bench',
    );
    const { id } = await ctx.disclosures.request(
      {
        target: { world, handle },
        scope: ['natural', 'social'],
        legalBasis: {
          kind: 'warrant',
          reference: `WARRANT-${i}`,
          issuedBy: 'Plaza Magistrates Court',
          expiresAt,
        },
        offence: 'harassment',
        purpose: 'Identify who kept sending threats after being blocked',
        case: caseId,
      },
      authority,
    );
    await ctx.oversight.decide(id, 'approve', 'Proportionate to the threats', oversight.id);
    targets.push({ handle, subject, disclosure: id });
  }
  return { targets, authority };
}

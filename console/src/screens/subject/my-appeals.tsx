import { get, type Page, query } from '../../api.ts';
import { AppealForm } from '../../components/appeal-form.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { points, when, words } from '../../format.ts';
import type { Appeal, DisclosureNotice, MyRecord } from '../../types.ts';

/** Where the subject stands on each appeal: a short mark, then in words rather than the pipeline's codes. */
const outcomes: Record<Appeal['status'], { mark: string; words: string }> = {
  pending: { mark: 'pending', words: 'waiting to be heard' },
  upheld: { mark: 'refused', words: 'the decision stands' },
  overturned: { mark: 'granted', words: 'the decision is overturned and its effects undone' },
};

const kinds: Record<Appeal['kind'], string> = {
  case: 'Decision on case',
  sanction: 'Sanction',
  disclosure: 'Disclosure',
  contribution: 'Points counted',
};

/** One adverse decision the subject may still appeal, with what the form needs. */
interface Appealable {
  kind: Appeal['kind'];
  id: string;
  what: string;
  description: string;
  deadline: string;
}

/**
 * The subject's appeals and their outcome, and every adverse decision it may still appeal (a
 * case's decision, a sanction imposed directly, a disclosure once told, points counted without a
 * decision), each with its form: one place for what the record, score and access screens offer.
 */
export function MyAppeals() {
  const record = useLoad(() => get<MyRecord>('/v1/me'), []);
  // The first page of notices: an appealable disclosure is a recent one (its window is short).
  const notices = useLoad(() => get<Page<DisclosureNotice>>(`/v1/me/disclosures${query({ limit: 50 })}`), []);
  const reload = () => {
    record.reload();
    notices.reload();
  };
  const me = record.data;
  const open = me === undefined ? [] : appealable(me, notices.data?.items ?? []);
  return (
    <section>
      <h1>My appeals</h1>
      <ErrorBox error={record.error ?? notices.error} />
      {me === undefined ? (
        record.loading && <p class="loading">Loading your appeals…</p>
      ) : (
        <>
          <p class="muted">
            You may appeal each adverse decision about you once, within the time the policy gives. A decision
            about your conduct is heard by a moderator other than the one who made it; a disclosure of your
            identity, by oversight.
          </p>
          <DataTable
            caption="My appeals"
            columns={[
              { label: 'Appeal of', cell: (a) => <Target appeal={a} /> },
              { label: 'Filed', cell: (a) => when(a.filedAt) },
              { label: 'Heard by', cell: (a) => a.queue },
              {
                label: 'Outcome',
                cell: (a) => (
                  <span>
                    <span class={`status status-${a.status}`}>{outcomes[a.status].mark}</span>{' '}
                    {outcomes[a.status].words}
                  </span>
                ),
              },
              { label: 'Decided', cell: (a) => when(a.decidedAt) },
              { label: 'Why', cell: (a) => a.rationale ?? '—' },
            ]}
            rows={me.appeals}
            rowKey={(a) => a.id}
            empty="You have not appealed anything."
          />
          <h2>What I may appeal</h2>
          {open.length === 0 ? (
            <p class="empty">Nothing about you may be appealed now.</p>
          ) : (
            <ol class="cards">
              {open.map((item) => (
                <li
                  key={`${item.kind} ${item.id}`}
                  class="card"
                  aria-label={`${kinds[item.kind]} ${item.id}`}
                >
                  <p>
                    {item.description}: you may appeal it until {when(item.deadline)}.
                  </p>
                  <AppealForm
                    target={{ kind: item.kind, id: item.id }}
                    what={item.what}
                    label={`Appeal this ${item.what}: ${item.id}`}
                    onAppealed={reload}
                  />
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function Target(props: { appeal: Appeal }) {
  const a = props.appeal;
  // One element: on a phone each cell is a grid whose children would each take a row.
  return (
    <span>
      {kinds[a.kind]} <code>{a.target}</code>
    </span>
  );
}

function appealable(me: MyRecord, notices: DisclosureNotice[]): Appealable[] {
  const items: Appealable[] = [];
  for (const c of me.cases) {
    if (c.appealDeadline === undefined) continue;
    const severity = c.decision?.severity === undefined ? '' : ` at severity ${c.decision.severity}`;
    items.push({
      kind: 'case',
      id: c.id,
      what: 'decision',
      description: `The decision upholding “${words(c.category)}” as ${c.handle} in ${c.world}${severity}`,
      deadline: c.appealDeadline,
    });
  }
  for (const s of me.sanctions) {
    if (s.appealDeadline === undefined) continue;
    items.push({
      kind: 'sanction',
      id: s.id,
      what: 'sanction',
      description: `A ${words(s.kind)} imposed directly on ${when(s.createdAt)}`,
      deadline: s.appealDeadline,
    });
  }
  for (const n of notices) {
    if (n.appealDeadline === undefined) continue;
    items.push({
      kind: 'disclosure',
      id: n.id,
      what: 'disclosure',
      description: `The disclosure of your identity to an authority in ${n.jurisdiction} (${words(n.offence)})`,
      deadline: n.appealDeadline,
    });
  }
  for (const c of me.credit.explanation.contributions) {
    if (c.appealDeadline === undefined) continue;
    const category = c.cause.category === undefined ? c.cause.kind : words(c.cause.category);
    items.push({
      kind: 'contribution',
      id: c.id,
      what: 'contribution',
      description: `${points(c.points)} points for ${category}, counted on a world’s word without a decision`,
      deadline: c.appealDeadline,
    });
  }
  return items.sort((a, b) => a.deadline.localeCompare(b.deadline));
}

import { useState } from 'preact/hooks';
import { get, type Page, post, query } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { ReasonForm } from '../../components/reason-form.tsx';
import { SanctionList } from '../../components/sanction-list.tsx';
import { navigate } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { Sanction } from '../../types.ts';

/** Sanctions of one subject (or of all), newest first; a moderator lifts active ones. */
export function Sanctions(props: ScreenProps) {
  const subject = props.query.get('subject') ?? '';
  const status = props.query.get('status') ?? '';
  const list = usePaged(
    (cursor) => get<Page<Sanction>>(`/v1/sanctions${query({ subject, status, cursor, limit: 20 })}`),
    [subject, status],
  );
  const moderator = props.me.role === 'moderator';
  return (
    <section>
      <h1>Sanctions</h1>
      <Filters key={`${subject}|${status}`} subject={subject} status={status} />
      <ErrorBox error={list.error} />
      {list.data === undefined ? (
        list.loading && <p class="loading">Loading sanctions…</p>
      ) : (
        <SanctionList
          rows={list.data.items}
          links
          subject={subject === ''}
          extra={
            moderator
              ? [
                  {
                    label: 'Lift',
                    cell: (s) =>
                      s.status === 'active' ? <LiftForm sanction={s} onLifted={list.reload} /> : null,
                  },
                ]
              : []
          }
        />
      )}
      <Pager pager={list.pager} label="Sanctions" />
    </section>
  );
}

function Filters(props: { subject: string; status: string }) {
  const [subject, setSubject] = useState(props.subject);
  const [status, setStatus] = useState(props.status);
  return (
    <form
      class="filters"
      onSubmit={(event) => {
        event.preventDefault();
        navigate(`/sanctions${query({ subject: subject.trim(), status })}`);
      }}
    >
      <label>
        Subject (digital ID)
        <input
          name="subject"
          value={subject}
          placeholder="all subjects"
          spellcheck={false}
          onInput={(event) => setSubject(event.currentTarget.value)}
        />
      </label>
      <label>
        Status
        <select name="status" value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
          <option value="">any</option>
          <option value="active">active</option>
          <option value="lifted">lifted</option>
          <option value="expired">expired</option>
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

function LiftForm(props: { sanction: Sanction; onLifted: () => void }) {
  return (
    <ReasonForm
      open={{ text: 'Lift…', label: `Lift ${props.sanction.kind} ${props.sanction.id}` }}
      field={{ label: 'Reason', name: 'lift-reason' }}
      submit={{ text: 'Lift' }}
      layout="inline"
      send={async (reason) => {
        await post(`/v1/sanctions/${props.sanction.id}/lift`, { reason });
        props.onLifted();
      }}
    />
  );
}

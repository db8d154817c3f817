import { ApiError, get, post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { day, when, words } from '../../format.ts';
import type { ErasureStatus, PreservationNotice } from '../../types.ts';

const holdNames: Record<string, string> = {
  open_case: 'a case about you is open',
  active_sanction: 'a sanction on you is in force',
  preservation: 'an authority has ordered your data preserved',
};

/**
 * The person asks to be erased: what erasure does, what holds it, and from when it will happen
 * (docs/rights.md#erase). A refusal (409) says what holds it and until when.
 */
export function EraseMyData(props: { preservations: PreservationNotice[] }) {
  const status = useLoad(() => get<ErasureStatus>('/v1/me/erasure'), []);
  const ask = useSubmit(async () => {
    await post<ErasureStatus>('/v1/me/erasure', {});
    status.reload();
  });
  const s = status.data;
  const held = ask.error instanceof ApiError && ask.error.code === 'erasure_blocked';
  return (
    <section class="panel" aria-labelledby="erase-title">
      <h2 id="erase-title">Erase my data</h2>
      <p>
        Erasing destroys the key your attributes are encrypted with, ends your avatars’ bindings and
        pseudonyms, removes your score and access history, and deletes what links the public log’s entries to
        you. Afterwards your digital ID answers “erased” everywhere, and you can no longer sign in.
      </p>
      <p class="muted">
        It happens {s?.afterRequestDays ?? '…'} days after you ask (the operator’s retention policy), once
        nothing holds it: an open case about you, a sanction in force, or an authority’s preservation order.
        Cases and sanctions stay as statistics under your digital ID, which then names no one. Copies outside
        mdis (what an authority was shown, what a world kept) are not reached.
      </p>
      <ErrorBox error={status.error} />
      {s !== undefined && s.holds.length > 0 && (
        <ul aria-label="What holds an erasure now">
          {s.holds.map((h) => (
            <li key={h.reason}>
              {holdNames[h.reason] ?? words(h.reason)}
              {h.earliestDate === null ? ' (no set end)' : ` (until ${day(h.earliestDate)} at the earliest)`}
            </li>
          ))}
        </ul>
      )}
      {s?.status === 'scheduled' && (
        <p class="notice" role="status">
          Asked {when(s.requestedAt)}: you will be erased from {day(s.dueAt)}
          {s.holds.length > 0 ? ', once what holds it has ended' : ''}.
        </p>
      )}
      {held ? <p class="error">{(ask.error as ApiError).message}</p> : <ErrorBox error={ask.error} />}
      {s?.status === 'none' && (
        <button type="button" disabled={ask.busy} onClick={() => ask.run()}>
          {ask.busy ? 'Asking…' : 'Erase my data'}
        </button>
      )}
      {props.preservations.length > 0 && (
        <ul aria-label="Preservation orders about you">
          {props.preservations.map((p) => (
            <li key={p.id}>
              An authority ordered your data preserved on {day(p.orderedAt)} ({words(p.legalBasisKind)},{' '}
              {words(p.offence)}), until {day(p.endsAt)}
              {p.extended ? ', extended once' : ''}: {p.status}.
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

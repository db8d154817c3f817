import { useState } from 'preact/hooks';
import { post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { day } from '../../format.ts';
import type { ErasureStatus } from '../../types.ts';

/** A registrar closes a subject that died or was enrolled twice: its erasure is scheduled. */
export function Closure() {
  const [subject, setSubject] = useState('');
  // No reason chosen for the registrar: the act cannot be undone, so each one is a choice.
  const [reason, setReason] = useState<'' | 'death' | 'duplicate'>('');
  const [done, setDone] = useState<ErasureStatus>();
  const close = useSubmit(async () => {
    setDone(undefined);
    setDone(
      await post<ErasureStatus>(`/v1/subjects/${encodeURIComponent(subject.trim())}/closure`, { reason }),
    );
  });
  return (
    <section>
      <h1>Close a subject</h1>
      <p class="muted">
        For a death or a duplicate enrolment. The subject is erased after the retention policy’s days, once
        nothing holds it (an open case, a sanction in force, a preservation order). It cannot be undone.
      </p>
      <form onSubmit={close.onSubmit}>
        <label>
          Digital ID
          <input name="subject" required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
        </label>
        <label>
          Reason
          <select
            name="reason"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value as '' | 'death' | 'duplicate')}
          >
            <option value="">Choose a reason</option>
            <option value="death">Death</option>
            <option value="duplicate">Duplicate enrolment</option>
          </select>
        </label>
        <button type="submit" disabled={close.busy}>
          {close.busy ? 'Closing…' : 'Close and schedule erasure'}
        </button>
      </form>
      <ErrorBox error={close.error} />
      {done !== undefined && (
        <p class="notice" role="status">
          Erasure scheduled from {day(done.dueAt)}
          {done.holds.length > 0 ? `; held now by ${done.holds.map((h) => h.reason).join(', ')}` : ''}.
        </p>
      )}
    </section>
  );
}

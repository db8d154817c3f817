import { useState } from 'preact/hooks';
import { post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import type { CaseDetail } from '../../types.ts';

/** Decide a pending appeal; overturning lifts the case's sanctions and strikes. Nothing preselected. */
export function AppealDecisionForm(props: { found: CaseDetail; onDecided: (c: CaseDetail) => void }) {
  const [outcome, setOutcome] = useState<'upheld' | 'overturned' | undefined>(undefined);
  const [rationale, setRationale] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () =>
    props.onDecided(
      await post<CaseDetail>(`/v1/cases/${props.found.id}/appeal/decision`, { outcome, rationale }),
    ),
  );
  return (
    <form class="panel" aria-labelledby="appeal-title" onSubmit={onSubmit}>
      <h2 id="appeal-title">Decide the appeal</h2>
      <fieldset class="choices">
        <legend>Outcome</legend>
        <label>
          <input
            type="radio"
            name="appeal-outcome"
            required
            checked={outcome === 'upheld'}
            onChange={() => setOutcome('upheld')}
          />
          Uphold the decision
        </label>
        <label>
          <input
            type="radio"
            name="appeal-outcome"
            required
            checked={outcome === 'overturned'}
            onChange={() => setOutcome('overturned')}
          />
          Overturn it (lifts its sanctions and strikes)
        </label>
      </fieldset>
      <label>
        Rationale
        <textarea
          name="appeal-rationale"
          required
          maxLength={4000}
          rows={3}
          value={rationale}
          onInput={(event) => setRationale(event.currentTarget.value)}
        />
      </label>
      <ErrorBox error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Deciding…' : 'Record the appeal decision'}
      </button>
    </form>
  );
}

import { useState } from 'preact/hooks';
import { get, post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { type CaseDetail, type DecisionPreview, type SanctionKind, sanctionKinds } from '../../types.ts';

interface SanctionDraft {
  key: number;
  kind: SanctionKind;
  world: string;
  actions: string;
  days: string;
}

/** Kinds that act in one world; a restriction names actions instead; warnings and bans neither. */
const worldScoped: SanctionKind[] = ['mute', 'suspension'];
let drafts = 0;

/**
 * Decide an open case: upheld with severity and sanctions, or dismissed, with a rationale. Nothing
 * is preselected; the severity field names the category's range, and before the decision is
 * recorded the form states what upholding at that severity does (issue 14).
 */
export function DecisionForm(props: { found: CaseDetail; onDecided: (c: CaseDetail) => void }) {
  const [outcome, setOutcome] = useState<'upheld' | 'dismissed' | undefined>(undefined);
  const [severity, setSeverity] = useState('');
  const chosen = /^[1-9][0-9]?$/.test(severity) ? severity : undefined;
  const preview = useLoad(
    () =>
      get<DecisionPreview>(
        `/v1/cases/${props.found.id}/decision/preview${chosen === undefined ? '' : `?severity=${chosen}`}`,
      ),
    [props.found.id, chosen],
  );
  const range = preview.data?.severity;
  const [rationale, setRationale] = useState('');
  const [sanctions, setSanctions] = useState<SanctionDraft[]>([]);
  const change = (key: number, patch: Partial<SanctionDraft>) =>
    setSanctions(sanctions.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  const { busy, error, onSubmit } = useSubmit(async () => {
    const body =
      outcome === 'dismissed'
        ? { outcome, rationale }
        : { outcome, rationale, severity: Number(severity), sanctions: sanctions.map(toRequest) };
    props.onDecided(await post<CaseDetail>(`/v1/cases/${props.found.id}/decision`, body));
  });

  return (
    <form class="panel" aria-labelledby="decide-title" onSubmit={onSubmit}>
      <h2 id="decide-title">Decide</h2>
      <fieldset class="choices">
        <legend>Outcome</legend>
        {(['upheld', 'dismissed'] as const).map((value) => (
          <label key={value}>
            <input
              type="radio"
              name="outcome"
              value={value}
              required
              checked={outcome === value}
              onChange={() => setOutcome(value)}
            />
            {value === 'upheld' ? 'Upheld' : 'Dismissed'}
          </label>
        ))}
      </fieldset>
      {outcome === 'upheld' && (
        <>
          <label>
            Severity (
            {range === undefined ? 'from 1' : `${range.min}–${range.max} for ${props.found.category}`})
            <input
              type="number"
              name="severity"
              min={range?.min ?? 1}
              max={range?.max ?? 10}
              required
              value={severity}
              onInput={(event) => setSeverity(event.currentTarget.value)}
            />
          </label>
          <Effects preview={preview.data} />
        </>
      )}
      <label>
        Rationale
        <textarea
          name="rationale"
          required
          maxLength={4000}
          rows={3}
          value={rationale}
          onInput={(event) => setRationale(event.currentTarget.value)}
        />
      </label>
      {outcome === 'upheld' && (
        <fieldset>
          <legend>Sanctions to impose (besides the strike ladder's)</legend>
          {sanctions.map((s, i) => (
            <SanctionRow
              key={s.key}
              index={i + 1}
              draft={s}
              onChange={(patch) => change(s.key, patch)}
              onRemove={() => setSanctions(sanctions.filter((other) => other.key !== s.key))}
            />
          ))}
          <button
            type="button"
            disabled={sanctions.length >= 10}
            onClick={() =>
              setSanctions([
                ...sanctions,
                { key: ++drafts, kind: 'restriction', world: props.found.world, actions: '', days: '30' },
              ])
            }
          >
            Add a sanction
          </button>
        </fieldset>
      )}
      <ErrorBox error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Deciding…' : 'Record the decision'}
      </button>
    </form>
  );
}

/** What upholding at the chosen severity does, as the policy and the subject's strikes say now. */
function Effects(props: { preview: DecisionPreview | undefined }) {
  const effects = props.preview?.effects;
  if (effects === undefined) return <p class="muted">Choose a severity to see what the decision does.</p>;
  const ladder = effects.ladderSanction;
  return (
    <div class="facts" aria-live="polite" data-testid="decision-effects">
      <p>Upholding at severity {effects.severity} will:</p>
      <ul>
        <li>
          add {effects.strikes} strike(s): active strikes {effects.activeStrikes.before} →{' '}
          {effects.activeStrikes.after}
        </li>
        <li>
          {ladder === undefined
            ? 'reach no step of the strike ladder'
            : `impose the ladder's ${ladder.kind}${ladder.days === undefined ? ' (until lifted)' : ` for ${ladder.days} day(s)`}, ${ladder.points} points`}
        </li>
        <li>count {effects.points} points in the score (decaying over time)</li>
      </ul>
      <p class="muted">Sanctions you add below count besides these.</p>
    </div>
  );
}

function toRequest(s: SanctionDraft) {
  return {
    kind: s.kind,
    world: worldScoped.includes(s.kind) ? s.world.trim() : undefined,
    actions:
      s.kind === 'restriction'
        ? s.actions
            .split(/[\s,]+/)
            .map((a) => a.trim())
            .filter(Boolean)
        : undefined,
    days: s.days.trim() === '' ? undefined : Number(s.days),
  };
}

function SanctionRow(props: {
  index: number;
  draft: SanctionDraft;
  onChange: (patch: Partial<SanctionDraft>) => void;
  onRemove: () => void;
}) {
  const { draft, index } = props;
  return (
    <fieldset class="row">
      <legend>Sanction {index}</legend>
      <label>
        Kind
        <select
          name={`sanction-${index}-kind`}
          value={draft.kind}
          onChange={(event) => props.onChange({ kind: event.currentTarget.value as SanctionKind })}
        >
          {sanctionKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </label>
      {worldScoped.includes(draft.kind) && (
        <label>
          World
          <input
            name={`sanction-${index}-world`}
            required
            value={draft.world}
            onInput={(event) => props.onChange({ world: event.currentTarget.value })}
          />
        </label>
      )}
      {draft.kind === 'restriction' && (
        <label>
          Actions
          <input
            name={`sanction-${index}-actions`}
            required
            placeholder="travel.air, finance.credit"
            value={draft.actions}
            onInput={(event) => props.onChange({ actions: event.currentTarget.value })}
          />
        </label>
      )}
      <label>
        Days (empty: until lifted)
        <input
          type="number"
          name={`sanction-${index}-days`}
          min={1}
          max={36500}
          value={draft.days}
          onInput={(event) => props.onChange({ days: event.currentTarget.value })}
        />
      </label>
      <button type="button" class="link" onClick={props.onRemove}>
        Remove
      </button>
    </fieldset>
  );
}

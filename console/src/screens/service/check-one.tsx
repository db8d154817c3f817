import { useState } from 'preact/hooks';
import { ApiError, get, query } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { words } from '../../format.ts';

export interface Answer {
  allowed: boolean;
  reason: string;
  sanctionIds: string[];
}

/**
 * A denial's reason in words. A denial by grade names no sanction, so it says whose standing
 * denies: the person's credit grade. A sanction in a virtual world (a ban, say) denies only the
 * actions the policy lets it deny, and a service is told of none that do not deny its own.
 */
export function reasonWords(reason: string): string {
  return reason === 'grade' ? 'credit grade' : words(reason);
}

/** `subject` for a digital ID, `pseudonym` for one of the service's own (SV…). */
export function whoField(who: string): 'subject' | 'pseudonym' {
  return /^SV/.test(who) ? 'pseudonym' : 'subject';
}

/** One check: a person (digital ID or pseudonym) and one of the service's actions. */
export function CheckOne(props: { actions: readonly string[] }) {
  const [who, setWho] = useState('');
  const [action, setAction] = useState(props.actions[0] ?? '');
  const [answer, setAnswer] = useState<{ who: string; action: string; answer: Answer }>();
  const check = useSubmit(async () => {
    setAnswer(undefined);
    const person = who.trim();
    const asked = await get<Answer>(`/v1/eligibility${query({ [whoField(person)]: person, action })}`);
    setAnswer({ who: person, action, answer: asked });
  });
  // The API names the field it refused (subject, pseudonym or action): that control says so.
  const refused = check.error instanceof ApiError ? check.error.field : undefined;
  return (
    <section aria-labelledby="check-one-title">
      <h2 id="check-one-title">Check one person</h2>
      <form class="filters" onSubmit={check.onSubmit}>
        <label>
          Digital ID or pseudonym
          <input
            name="who"
            value={who}
            required
            autocomplete="off"
            spellcheck={false}
            placeholder="MD… or SV…"
            aria-invalid={refused === 'subject' || refused === 'pseudonym' ? true : undefined}
            aria-describedby={refused === undefined ? undefined : 'check-one-error'}
            onInput={(event) => setWho(event.currentTarget.value)}
          />
        </label>
        <label>
          Action
          <select
            name="action"
            value={action}
            aria-invalid={refused === 'action' ? true : undefined}
            onChange={(event) => setAction(event.currentTarget.value)}
          >
            {props.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={check.busy}>
          {check.busy ? 'Checking…' : 'Check'}
        </button>
      </form>
      <div id="check-one-error">
        <ErrorBox error={check.error} />
      </div>
      <div role="status">
        {answer !== undefined && (
          <p class={`verdict ${answer.answer.allowed ? 'ok' : 'bad'}`}>
            {answer.answer.allowed ? 'Allowed' : `Denied: ${reasonWords(answer.answer.reason)}`} —{' '}
            {answer.action} for <code class="id">{answer.who}</code>
            {answer.answer.sanctionIds.length > 0 && ` (sanctions ${answer.answer.sanctionIds.join(', ')})`}
          </p>
        )}
        {answer?.answer.reason === 'grade' && (
          <p class="muted">
            No sanction denies this action: the person’s credit grade is one the policy denies it at.
          </p>
        )}
      </div>
    </section>
  );
}

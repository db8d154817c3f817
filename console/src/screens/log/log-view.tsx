import { useState } from 'preact/hooks';
import { getText } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { type Step, StepFailed, verifyLog } from '../../ledger/verify-log.ts';
import type { ScreenProps } from '../../screen-props.ts';
import { EntryBrowser } from './entry-browser.tsx';
import { MyEntries } from './my-entries.tsx';

type Outcome =
  | { kind: 'verified'; summary: string }
  | { kind: 'failed'; summary: string }
  | { kind: 'error'; error: unknown };

/**
 * The transparency log, verified here in the browser with WebCrypto: the checkpoint's Ed25519
 * signature, an RFC 9162 inclusion proof, and consistency with the last checkpoint seen.
 */
export function LogView(props: ScreenProps) {
  // One line of text, as `mdis log key` prints it.
  const key = useLoad(async () => (await getText('/v1/log/key')).trim(), []);
  // The entries are public (people appear in them only as commitments): anyone reads them.
  return (
    <section>
      <h1>Transparency log</h1>
      <p>
        Every sensitive act is appended to a public Merkle log (RFC 9162) whose checkpoints are signed. This
        page checks them itself, in your browser: it trusts the server for nothing but the bytes it sends.
      </p>
      <ErrorBox error={key.error} title="The log's key could not be read." />
      {key.data !== undefined && <Verifier key={key.data} served={key.data} />}
      {props.me.role === 'subject' && <MyEntries />}
      <EntryBrowser viewer={props.me.role} />
    </section>
  );
}

function Verifier(props: { served: string }) {
  const [verifier, setVerifier] = useState(props.served);
  const [index, setIndex] = useState('');
  const [steps, setSteps] = useState<Step[]>([]);
  const [outcome, setOutcome] = useState<Outcome>();
  const [entry, setEntry] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setSteps([]);
    setOutcome(undefined);
    setEntry(undefined);
    const done: Step[] = [];
    try {
      const result = await verifyLog({
        verifier,
        index: index.trim() === '' ? undefined : Number(index),
        readEntries: true,
        report: (step) => {
          done.push(step);
          setSteps([...done]);
        },
      });
      setEntry(result.entry);
      setOutcome({
        kind: 'verified',
        summary: `Verified: the checkpoint of ${result.checkpoint.size} entries is signed by the log's key${
          result.checkpoint.size > 0 ? ', and the entry is included in it' : ''
        }.`,
      });
    } catch (error) {
      setOutcome(
        error instanceof StepFailed
          ? { kind: 'failed', summary: `Not verified: ${error.message}.` }
          : { kind: 'error', error },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="panel"
      onSubmit={(event) => {
        event.preventDefault();
        void run();
      }}
    >
      <h2>Verify</h2>
      <label>
        Verifier key (compare it with the one the operator publishes)
        <input
          name="verifier"
          required
          spellcheck={false}
          value={verifier}
          onInput={(event) => setVerifier(event.currentTarget.value)}
        />
      </label>
      <label>
        Entry to prove (empty: the newest)
        <input
          name="index"
          type="number"
          min={0}
          value={index}
          onInput={(event) => setIndex(event.currentTarget.value)}
        />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Verifying…' : 'Verify the log'}
      </button>
      {steps.length > 0 && (
        <ol class="steps">
          {steps.map((step) => (
            <li key={step.label} class={step.ok ? 'ok' : 'bad'}>
              <strong>
                {step.ok ? '✓' : '✗'} {step.label}
              </strong>
              : {step.detail}
            </li>
          ))}
        </ol>
      )}
      {outcome !== undefined &&
        (outcome.kind === 'error' ? (
          <ErrorBox error={outcome.error} title="Verification could not finish." />
        ) : (
          <p class={outcome.kind === 'verified' ? 'verdict ok' : 'verdict bad'} role="status">
            {outcome.summary}
          </p>
        ))}
      {entry !== undefined && (
        <details>
          <summary>The entry proved</summary>
          <pre class="entry">{JSON.stringify(JSON.parse(entry), null, 2)}</pre>
        </details>
      )}
    </form>
  );
}

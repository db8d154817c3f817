import { useState } from 'preact/hooks';

export interface Submitting<A extends unknown[]> {
  busy: boolean;
  /** The last failure, for an ErrorBox; cleared when the action runs again. */
  error: unknown;
  run: (...args: A) => Promise<void>;
  /** For a form's onSubmit: no page load, then `run()`. */
  onSubmit: (event: Event) => void;
}

/**
 * The busy and error state every form repeats: `run` clears the last error, is busy while
 * `action` runs and keeps its failure. With `leaves`, the form stays busy after a success: the
 * action navigated away or closed the form, and a second click must not send it again.
 */
export function useSubmit<A extends unknown[] = []>(
  action: (...args: A) => Promise<void>,
  options: { leaves?: boolean } = {},
): Submitting<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await action(...args);
      if (options.leaves !== true) setBusy(false);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  const onSubmit = (event: Event) => {
    event.preventDefault();
    void run(...([] as unknown[] as A));
  };
  return { busy, error, run, onSubmit };
}

import { ApiError } from '../api.ts';
import { words } from '../format.ts';

/** Plain words for an error the API (or the network) gave. */
export function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const { status } = error;
  // A message written as a sentence keeps its own full stop; the one added below is the only one.
  const message = error.message.replace(/\.$/, '');
  if (status === 0) return `Could not reach mdis: ${message}.`;
  if (status === 400) return `That was not accepted: ${message}.`;
  if (status === 401) return `You are not signed in, or your token is no longer valid: ${message}.`;
  if (status === 403) return `Your role may not do this: ${message}.`;
  if (status === 404) return `Not found: ${message}.`;
  if (status === 409) return `That conflicts with what is already recorded: ${message}.`;
  if (status === 413) return `That is too large to send: ${message}.`;
  if (status === 415) return `The server expected JSON: ${message}.`;
  if (status === 422) return `Refused by policy: ${message}.`;
  if (status === 429) {
    const wait = error.retryAfter === undefined ? 'a moment' : `${error.retryAfter} s`;
    return `Too many requests: wait ${wait} and try again.`;
  }
  if (status >= 500) return `The server failed (${status}): ${message}. Try again later.`;
  return `The request failed (${status}): ${message}.`;
}

/**
 * An error, said plainly, with the API's code for whoever reports it, unless the words already
 * say it ("Refused by policy: …" needs no "(refused by policy)" after it).
 */
export function ErrorBox(props: { error: unknown; title?: string }) {
  if (props.error === undefined) return null;
  const said = explain(props.error);
  const code = props.error instanceof ApiError ? words(props.error.code) : undefined;
  const shown = code !== undefined && !said.toLowerCase().includes(code.toLowerCase());
  return (
    <div class="error" role="alert">
      {props.title !== undefined && <strong>{props.title} </strong>}
      {said}
      {shown && <span class="code"> ({code})</span>}
    </div>
  );
}

import Type, { type Static } from 'typebox';

/** One of the caller's live sessions (a passkey sign-in), as `GET /v1/sessions` lists it. */
export const SessionSummary = Type.Object({
  id: Type.String({ description: 'derived one way from the session; never its cookie' }),
  createdAt: Type.String({ description: 'when the person signed in' }),
  lastSeenAt: Type.String({ description: 'its last use, to the minute' }),
  expiresAt: Type.String({ description: 'the end of its lifetime; it ends sooner when idle' }),
  current: Type.Boolean({ description: 'the session of this request’s cookie' }),
});
export type SessionSummary = Static<typeof SessionSummary>;

/**
 * Why a witness refuses a checkpoint, with the status C2SP tlog-witness gives each condition. The
 * witness is its own small server, not the mdis API, so these stay out of the API's ErrorCode list;
 * on the wire they keep its shape, `{error, message}`, except the 409 the protocol fixes.
 */
export abstract class WitnessRefusal extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

/** 400: not an add-checkpoint request (or an old size beyond the checkpoint). */
export class MalformedCheckpointError extends WitnessRefusal {
  readonly status = 400;
  readonly code = 'malformed_checkpoint';
}

/** 403: no signature by the key the witness trusts for that origin. */
export class BadSignatureError extends WitnessRefusal {
  readonly status = 403;
  readonly code = 'bad_log_signature';
  readonly origin: string;
  constructor(origin: string) {
    super(`the checkpoint carries no valid signature by the key trusted for ${origin}`);
    this.origin = origin;
  }
}

/** 404 (as tlog-witness says for an unknown origin): the witness does not witness this log. */
export class UnknownLogError extends WitnessRefusal {
  readonly status = 404;
  readonly code = 'unknown_log';
  readonly origin: string;
  constructor(origin: string) {
    super(`this witness does not witness the log ${origin}`);
    this.origin = origin;
  }
}

/** 409: the old size is not the size the witness last cosigned; the body is that size. */
export class OldSizeConflictError extends WitnessRefusal {
  readonly status = 409;
  readonly code = 'old_size_conflict';
  readonly origin: string;
  readonly knownSize: number;
  constructor(origin: string, knownSize: number, old: number, what = `old size ${old}`) {
    super(`the witness last cosigned ${origin} at size ${knownSize}, not with ${what}`);
    this.origin = origin;
    this.knownSize = knownSize;
  }
}

/** 422: the consistency proof does not show the old checkpoint is a prefix of the new one. */
export class BadProofError extends WitnessRefusal {
  readonly status = 422;
  readonly code = 'bad_consistency_proof';
  readonly origin: string;
  constructor(origin: string, reason: string) {
    super(`${origin}: ${reason}`);
    this.origin = origin;
  }
}

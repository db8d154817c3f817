import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BatchRejectedError } from '../conduct/event-service.ts';
import {
  ConflictError,
  ForbiddenError,
  MalformedIdError,
  MdisError,
  NotFoundError,
  OwnDecisionError,
  PolicyRefusedError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.ts';
import { validationErrorFrom } from '../util/validation.ts';

/** Every domain error class and the status it answers with. */
const statusByClass: [new (...args: never[]) => MdisError, number][] = [
  [ValidationError, 400],
  [BatchRejectedError, 400],
  [MalformedIdError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [OwnDecisionError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PolicyRefusedError, 422],
  [RateLimitedError, 429],
];

/** Fastify's own request errors, by its error code. */
const fastifyErrors: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'the body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
};

export interface ErrorBody {
  error: string;
  message: string;
  [detail: string]: unknown;
}

/** Maps any thrown error to the one error shape; a 500 says only "internal error". */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown };
  if (Array.isArray(fastifyError.validation)) {
    error = validationErrorFrom(fastifyError.validation, '');
  }
  if (error instanceof MdisError) {
    const status = statusByClass.find(([type]) => error instanceof type)?.[1] ?? 500;
    return { status, body: { error: error.code, message: error.message, ...error.details } };
  }
  const known = fastifyErrors[fastifyError.code ?? ''];
  if (known !== undefined) {
    return {
      status: known.status,
      body: { error: known.code, message: known.message ?? fastifyError.message ?? '' },
    };
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return { status: 400, body: { error: 'invalid_json', message: 'the body is not valid JSON' } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (error instanceof RateLimitedError)
      reply.header('retry-after', String(error.details.retryAfterSeconds));
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );
}

import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CsrfRefusedError, SignInRefusedError } from '../auth/errors.ts';
import { BatchRejectedError } from '../conduct/event-service.ts';
import {
  CredentialProtocolError,
  InsufficientScopeError,
  InvalidAccessTokenError,
  StatusListNotFoundError,
} from '../credentials/errors.ts';
import {
  ConflictError,
  DigitalIdNotAllowedError,
  ExportTooLargeError,
  ForbiddenError,
  GoneError,
  MalformedIdError,
  MdisError,
  NotFoundError,
  OwnDecisionError,
  OwnProposalError,
  PasskeyRequiredError,
  PolicyRefusedError,
  PresentationRefusedError,
  PurposeRequiredError,
  RateLimitedError,
  UnauthenticatedError,
  UnknownPurposeError,
  ValidationError,
} from '../errors.ts';
import { validationErrorFrom } from '../util/validation.ts';

/** Every domain error class and the status it answers with. */
const statusByClass: [new (...args: never[]) => MdisError, number][] = [
  [ValidationError, 400],
  [BatchRejectedError, 400],
  [MalformedIdError, 400],
  [UnauthenticatedError, 401],
  [SignInRefusedError, 401],
  [CsrfRefusedError, 403],
  [ForbiddenError, 403],
  [OwnDecisionError, 403],
  [OwnProposalError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PolicyRefusedError, 422],
  [RateLimitedError, 429],
  [PurposeRequiredError, 400],
  [UnknownPurposeError, 400],
  [PasskeyRequiredError, 403],
  [DigitalIdNotAllowedError, 403],
  [CredentialProtocolError, 400],
  [InvalidAccessTokenError, 401],
  [StatusListNotFoundError, 404],
  [ExportTooLargeError, 413],
  [GoneError, 410],
  [InsufficientScopeError, 403],
  [PresentationRefusedError, 422],
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
  // Answered by the router before any hook (authentication included), through `frameworkErrors`.
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'invalid_request',
    message: 'the URL is not validly percent-encoded',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'uri_too_long',
    message: 'a path parameter is longer than 100 characters',
  },
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

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  if (error instanceof RateLimitedError) reply.header('retry-after', String(error.details.retryAfterSeconds));
  return reply.status(status).send(body);
}

/** For Fastify's `frameworkErrors` option: the router's own refusals in the one error shape. */
export const frameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
  sendError(error, request, reply);

/** Errors of the HTTP parser (headers over 16 KB, a malformed request line), before Fastify sees a request. */
const clientErrors: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    message: 'the request headers exceed 16 KB',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'the request took too long' },
};

/** For Fastify's `clientErrorHandler` option: answers on the raw socket, in the one error shape. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = clientErrors[error.code ?? ''] ?? {
    status: 400,
    code: 'invalid_request',
    message: 'the request is not valid HTTP',
  };
  const body = JSON.stringify({ error: known.code, message: known.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${http.STATUS_CODES[known.status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Fastify's default `maxParamLength`: a longer path parameter matches no route. */
const maxParamLength = 100;

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    sendError(error, request, reply),
  );
  // Each route's path as a pattern, to tell a wrong method on a known path (405) from an unknown
  // path (404). Wildcards (the console's client routes) answer any path and are left out.
  const routes: { method: string; path: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    const pattern = route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+');
    const path = new RegExp(`^${pattern}/?$`);
    for (const method of [route.method].flat()) routes.push({ method, path });
  });
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0]!;
    const allowed = methods.filter((m) => routes.some((r) => r.method === m && r.path.test(pathname)));
    // The path's own method answered 404: a parameter over the router's length, or not found.
    if (allowed.includes(request.method as (typeof methods)[number])) {
      if (pathname.split('/').some((segment) => segment.length > maxParamLength)) {
        return sendError(Object.assign(new Error(), { code: 'FST_ERR_MAX_PARAM_LENGTH' }), request, reply);
      }
    } else if (allowed.length > 0) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({
          error: 'method_not_allowed',
          message: `${request.method} is not allowed here; use ${allowed.join(', ')}`,
        });
    }
    return reply
      .status(404)
      .send({ error: 'not_found', message: `no route for ${request.method} ${pathname}` });
  });
}

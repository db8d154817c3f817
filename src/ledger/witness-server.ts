import http from 'node:http';
import type { Logger } from 'pino';
import type { Witness } from './witness.ts';
import { OldSizeConflictError, WitnessRefusal } from './witness-errors.ts';

/** A request body beyond this is no checkpoint: 63 proof lines and a note with a few signatures. */
const maxBody = 64 * 1024;

/**
 * The witness's HTTP interface: `POST /add-checkpoint` (C2SP tlog-witness), and for verifiers
 * `GET /checkpoint?origin=<origin>`, the latest checkpoint it cosigned for that log. A plain
 * node:http server: three routes and text bodies need nothing more.
 */
export function witnessServer(witness: Witness, logger: Logger): http.Server {
  return http.createServer((request, response) => {
    handle(witness, request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'witness request failed');
      send(
        response,
        500,
        'application/json',
        JSON.stringify({ error: 'internal', message: 'internal error' }),
      );
    });
  });
}

async function handle(witness: Witness, request: http.IncomingMessage, response: http.ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://witness');
  if (request.method === 'POST' && url.pathname === '/add-checkpoint') {
    const body = await readBody(request);
    if (body === undefined)
      return refuse(response, 413, 'too_large', `a request is at most ${maxBody} bytes`);
    try {
      return send(response, 200, 'text/plain; charset=utf-8', await witness.addCheckpoint(body));
    } catch (error) {
      if (error instanceof OldSizeConflictError) {
        // The protocol's answer: the size the witness knows, so that the log can prove from it.
        return send(response, 409, 'text/x.tlog.size', `${error.knownSize}\n`);
      }
      if (error instanceof WitnessRefusal) return refuse(response, error.status, error.code, error.message);
      throw error;
    }
  }
  if (request.method === 'GET' && url.pathname === '/checkpoint') {
    const origin = url.searchParams.get('origin') ?? '';
    const note = witness.latest(origin);
    if (note === undefined) {
      return refuse(response, 404, 'unknown_log', `this witness has cosigned no checkpoint of "${origin}"`);
    }
    return send(response, 200, 'text/plain; charset=utf-8', note);
  }
  if (request.method === 'GET' && url.pathname === '/key') {
    return send(response, 200, 'text/plain; charset=utf-8', `${witness.verifierKey}\n`);
  }
  if (request.method === 'GET' && url.pathname === '/healthz') {
    return send(response, 200, 'application/json', '{"ok":true}');
  }
  return refuse(response, 404, 'not_found', `no ${request.method} ${url.pathname} on a witness`);
}

function refuse(response: http.ServerResponse, status: number, error: string, message: string): void {
  send(response, status, 'application/json', JSON.stringify({ error, message }));
}

function send(response: http.ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function readBody(request: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxBody) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

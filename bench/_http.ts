// Servers in child processes and one load generator (autocannon) in this one, so that the server
// measured and the load on it do not share an event loop. Children are killed however the bench
// ends: normally, by an error, or by a signal.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
// run.ts turns SIGINT and SIGTERM into an exit, so this covers them too.
process.on('exit', killAll);

export interface ChildServer {
  url: string;
  /** The child's process id, for reading its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

/** A port nobody listens on now (another process could take it before the child does; unlikely here). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `node args…` from the repository root and waits until GET `readyPath` answers 200.
 * The child's output is kept and shown if it dies before it is ready.
 */
export async function startChild(options: {
  args: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  /** Sees every chunk the child writes to stdout (its log), e.g. to count bytes. */
  onStdout?: (chunk: Buffer) => void;
}): Promise<ChildServer> {
  // Only what this bench sets: an MDIS_DATABASE_URL in the caller's environment would otherwise
  // point the child at PostgreSQL.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MDIS_')));
  const child = spawn(process.execPath, options.args, {
    cwd: repoRoot,
    env: { ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  if (options.onStdout !== undefined) child.stdout!.on('data', options.onStdout);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  const url = `http://127.0.0.1:${options.port}`;
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (gone()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone()) throw new Error(`${options.args.join(' ')} exited early:\n${output}`);
    try {
      const response = await fetch(url + options.readyPath);
      await response.arrayBuffer();
      if (response.ok) return { url, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.args.join(' ')} was not ready after 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A bare node:http server answering `body` as JSON to every request: the ceiling for the API. */
export function startBareServer(port: number, body: string): Promise<ChildServer> {
  const source = `
    const http = require('node:http');
    const body = Buffer.from(process.env.BENCH_BODY);
    http
      .createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
        res.end(body);
      })
      .listen(Number(process.env.BENCH_PORT), '127.0.0.1');`;
  return startChild({
    args: ['-e', source],
    env: { BENCH_PORT: String(port), BENCH_BODY: body },
    port,
    readyPath: '/',
  });
}

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
}

/**
 * Loads `url` for `seconds` with `connections` keep-alive connections, each cycling through
 * `paths`. Anything but 2xx fails the run.
 */
export async function load(options: {
  url: string;
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: options.paths.map((path) => ({ method: 'GET' as const, path })),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${options.url}: ${result.non2xx} non-2xx responses and ${result.errors} errors in ${result['2xx']} successes`,
    );
  }
  return { requestsPerSecond: result['2xx'] / result.duration, p99Ms: result.latency.p99 };
}

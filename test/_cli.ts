import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after } from 'node:test';

// The real `mdis` binary, run as an operator would: one process per command.
export const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'src', 'main.ts');
const servers = new Set<Server>();

after(() => {
  for (const server of servers) server.kill('SIGKILL');
});

/** The caller's environment without any MDIS_ setting, which would change what is under test. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MDIS_')));
  return { ...env, ...extra };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one command to its end (killed after 30 s, so a server that wrongly starts fails the test). */
export function mdis(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { cwd: root, env: cleanEnv(env), timeout: 180_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a command that must succeed and returns its stdout. */
export async function ok(args: string[]): Promise<string> {
  const run = await mdis(args);
  assert.equal(run.code, 0, `mdis ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

export type LogLine = { msg?: string } & Record<string, unknown>;
type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A running `mdis serve`, its JSON log lines as they arrive, and its exit. */
export class Server {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<Exit>;
  readonly #child: ChildProcess;
  /** Where it listens, from its log once it serves. */
  url = '';

  /** `mdis serve` on `dir`, with more `args` and `env` (MDIS_ settings) if given. */
  constructor(dir: string, args: string[] = [], env: Record<string, string> = {}) {
    // Port 0: the server takes a free port itself. A port found free beforehand could be taken
    // meanwhile, by the local end of any outgoing connection (seen in CI: EADDRINUSE).
    this.#child = spawn(
      process.execPath,
      [main, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', dir, ...args],
      { cwd: root, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    servers.add(this);
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.logs.push({ notJson: line });
      }
    });
    this.#child.stderr!.on('data', (chunk) => {
      this.stderr += String(chunk);
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => {
        servers.delete(this);
        resolve({ code, signal });
      });
    });
  }

  static async start(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Server> {
    const server = new Server(dir, args, env);
    const { address } = await server.waitForLog('mdis is serving');
    assert.equal(typeof address, 'string', 'the log says where it serves');
    server.url = address as string;
    return server;
  }

  async waitForLog(msg: string, timeoutMs = 120_000): Promise<LogLine> {
    let exit: Exit | undefined;
    void this.exited.then((e) => {
      exit = e;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.logs.find((l) => l.msg === msg);
      if (line !== undefined) return line;
      if (exit !== undefined) assert.fail(`mdis serve exited (${JSON.stringify(exit)}): ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return assert.fail(`no "${msg}" in the log within ${timeoutMs} ms: ${this.stderr}`);
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  async stop(signal: NodeJS.Signals): Promise<Exit> {
    this.kill(signal);
    return this.exited;
  }

  async get(url: string, token: string) {
    return this.request('GET', url, token);
  }

  async request(method: string, url: string, token: string, body?: unknown) {
    const response = await fetch(this.url + url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON of any shape; each test asserts the fields it needs
    return { status: response.status, body: (await response.json()) as any };
  }
}

/** Starts a server and stops it however the test ends. */
export async function withServer<T>(dir: string, work: (server: Server) => Promise<T>): Promise<T> {
  const server = await Server.start(dir);
  try {
    return await work(server);
  } finally {
    server.kill('SIGKILL');
    await server.exited;
  }
}

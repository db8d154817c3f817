/** A small HTTP client for the demo: every call is printed briefly, and checked by the caller. */

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the demo reads whichever fields each step checks
  body: any;
}

export class DemoClient {
  readonly #base: string;
  readonly #print: (line: string) => void;
  #failures = 0;

  constructor(base: string, print: (line: string) => void) {
    this.#base = base;
    this.#print = print;
  }

  get failures(): number {
    return this.#failures;
  }

  title(text: string): void {
    this.#print(`\n▶ ${text}`);
  }

  async call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    this.#print(`  → ${method} ${path}`);
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const body = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: response.status, body };
  }

  /** Prints what came back, and records a failure when `problem` says something went wrong. */
  expect(answer: Answer, summary: string, problem: string | undefined): void {
    if (problem === undefined) {
      this.#print(`  ← ${answer.status} ${summary}`);
      return;
    }
    this.#failures++;
    this.#print(`  ✗ ${answer.status} ${problem}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }

  /** Expects a status; returns the body for the next steps. */
  async step(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; status: number },
    summarise: (body: Answer['body']) => string,
  ): Promise<Answer['body']> {
    const answer = await this.call(method, path, options);
    const ok = answer.status === options.status;
    this.expect(answer, ok ? summarise(answer.body) : '', ok ? undefined : `expected ${options.status}`);
    return answer.body;
  }
}

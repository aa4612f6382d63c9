// A programmable stand-in for the rollup HTTP API, for the loop's own tests only: it can answer with the status codes
// of each real implementation (in-machine 201/202, host-runner 200 and 202-on-timeout) and can be down at will, which
// the devnet cannot be asked to do. Everything about real inputs is tested against the devnet instead.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubCall {
  endpoint: string;
  body: Record<string, unknown>;
}

export interface StubOptions {
  /** status code for /notice and /voucher (in-machine server: 201) */
  outputStatus?: number;
  /** status code for /report (in-machine server: 202) */
  reportStatus?: number;
}

export class StubRollupServer {
  readonly calls: StubCall[] = [];
  /** what /finish answers, in order; when empty it answers 202 like host-runner after its timeout */
  readonly finishAnswers: Array<{ status: number; body: string }> = [];
  private server: http.Server | undefined;
  private outputIndex = 0;

  constructor(private readonly opts: StubOptions = {}) {}

  async listen(port = 0): Promise<number> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const endpoint = req.url ?? '';
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        this.calls.push({ endpoint, body });
        if (endpoint === '/finish') {
          this.outputIndex = 0;
          const next = this.finishAnswers.shift() ?? { status: 202, body: 'no rollup request available' };
          // a short delay on 202 keeps an idle loop from spinning the CPU during the test
          setTimeout(
            () => res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body),
            next.status === 202 ? 20 : 0,
          );
        } else if (endpoint === '/notice' || endpoint === '/voucher') {
          res.writeHead(this.opts.outputStatus ?? 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ index: this.outputIndex++ }));
        } else if (endpoint === '/report' || endpoint === '/exception') {
          res.writeHead(this.opts.reportStatus ?? 200).end();
        } else {
          res.writeHead(404).end('not found');
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  pushRequest(request: unknown): void {
    this.finishAnswers.push({ status: 200, body: JSON.stringify(request) });
  }

  finishStatuses(): string[] {
    return this.calls.filter((c) => c.endpoint === '/finish').map((c) => c.body.status as string);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A port nothing listens on: bind, read the port, close. */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

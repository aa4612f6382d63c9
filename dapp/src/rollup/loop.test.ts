import { afterEach, describe, expect, it } from 'vitest';
import { freePort, StubRollupServer, waitFor } from '../../test/stub-rollup-server.ts';
import { RollupClient } from './client.ts';
import { runRollupLoop, type Logger, type RequestHandlers } from './loop.ts';
import type { AdvanceRequest } from '@tt/cartesi-v1';

const advance = (index: number, payload = '0x'): AdvanceRequest => ({
  request_type: 'advance_state',
  data: {
    metadata: {
      msg_sender: '0x' + '11'.repeat(20),
      epoch_index: 0,
      input_index: index,
      block_number: 1,
      timestamp: 1,
    },
    payload,
  },
});

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

describe('runRollupLoop', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(server: StubRollupServer, handlers: RequestHandlers, port?: number) {
    const p = port ?? (await server.listen());
    const stop = new AbortController();
    const log = recordingLog();
    const done = runRollupLoop(new RollupClient(`http://127.0.0.1:${p}/`), handlers, {
      log,
      signal: stop.signal,
      minRetryMs: 10,
      maxRetryMs: 40,
    });
    cleanups.push(async () => {
      stop.abort();
      await done;
      await server.close();
    });
    return { log, done };
  }

  it('sends each outcome with the next /finish and repeats it after a 202', async () => {
    const server = new StubRollupServer();
    server.pushRequest(advance(0));
    server.finishAnswers.push({ status: 202, body: 'no rollup request available' });
    server.pushRequest(advance(1));
    server.pushRequest({ request_type: 'inspect_state', data: { payload: '0x696e666f' } });
    const seen: string[] = [];
    const handlers: RequestHandlers = {
      advance: async (r) => (
        seen.push(`advance ${r.data.metadata.input_index}`),
        r.data.metadata.input_index === 0 ? 'reject' : 'accept'
      ),
      inspect: async (r) => (seen.push(`inspect ${r.data.payload}`), 'accept'),
      failed: async () => {},
    };
    await start(server, handlers);
    await waitFor(() => server.finishStatuses().length >= 6, 'six /finish calls');
    expect(seen).toEqual(['advance 0', 'advance 1', 'inspect 0x696e666f']);
    // first (ignored) accept; reject for input 0, repeated after the 202; accept for input 1; accept after the inspect
    expect(server.finishStatuses().slice(0, 5)).toEqual(['accept', 'reject', 'reject', 'accept', 'accept']);
  });

  it('turns a throwing handler into a report through failed() and a reject, then goes on', async () => {
    const server = new StubRollupServer({ outputStatus: 201, reportStatus: 202 });
    server.pushRequest(advance(0));
    server.pushRequest(advance(1));
    const port = await server.listen();
    const client = new RollupClient(`http://127.0.0.1:${port}`);
    const handlers: RequestHandlers = {
      advance: async (r) => {
        if (r.data.metadata.input_index === 0) throw new TypeError('boom');
        return 'accept';
      },
      inspect: async () => 'accept',
      failed: async (_r, err) => client.report(new TextEncoder().encode(`failed: ${(err as Error).message}`)),
    };
    const { log } = await start(server, handlers, port);
    await waitFor(() => server.finishStatuses().length >= 3, 'three /finish calls');
    expect(server.finishStatuses().slice(0, 3)).toEqual(['accept', 'reject', 'accept']);
    const report = server.calls.find((c) => c.endpoint === '/report');
    expect(Buffer.from((report!.body.payload as string).slice(2), 'hex').toString()).toBe('failed: boom');
    expect(log.lines.join('\n')).toMatch(/input 0: unexpected error, rejecting: TypeError: boom/);
  });

  it('waits for a rollup API that is not up yet, backing off, and logs it', async () => {
    const port = await freePort();
    const server = new StubRollupServer();
    server.pushRequest(advance(0));
    let advanced = 0;
    const { log } = await start(
      server,
      { advance: async () => (advanced++, 'accept'), inspect: async () => 'accept', failed: async () => {} },
      port,
    );
    await new Promise((r) => setTimeout(r, 150));
    expect(advanced).toBe(0);
    expect(log.lines[0]).toMatch(/\/finish failed \(.*ECONNREFUSED.*\); retrying in 10 ms/);
    await server.listen(port);
    await waitFor(() => advanced === 1, 'the advance after the server came up');
    expect(log.lines.some((l) => /rollup API reachable again/.test(l))).toBe(true);
  });

  it('retries after an error status, and rejects (with a report) a 2xx answer that is not a request', async () => {
    const server = new StubRollupServer();
    server.finishAnswers.push({ status: 400, body: 'invalid request finish in idle state' });
    server.finishAnswers.push({ status: 200, body: 'not json' });
    server.finishAnswers.push({
      status: 200,
      body: JSON.stringify({ request_type: 'advance_state', data: { payload: '0x' } }),
    });
    server.pushRequest(advance(5));
    let advanced = 0;
    const port = await server.listen();
    const client = new RollupClient(`http://127.0.0.1:${port}`);
    const unreadable: string[] = [];
    const { log } = await start(
      server,
      {
        advance: async () => (advanced++, 'accept'),
        inspect: async () => 'accept',
        failed: async () => {},
        unreadable: async (err) => {
          unreadable.push(err.message);
          await client.report(new TextEncoder().encode('unreadable'));
        },
      },
      port,
    );
    await waitFor(() => server.finishStatuses().length >= 5, 'five /finish calls');
    expect(advanced).toBe(1);
    // 400: same status again; each unreadable 200: reject; then the advance of input 5, accepted
    expect(server.finishStatuses().slice(0, 5)).toEqual(['accept', 'accept', 'reject', 'reject', 'accept']);
    expect(unreadable).toHaveLength(2);
    expect(unreadable[0]).toMatch(/not JSON/);
    expect(unreadable[1]).toMatch(/no metadata/);
    expect(server.calls.filter((c) => c.endpoint === '/report')).toHaveLength(2);
    expect(log.lines.join('\n')).toMatch(/HTTP 400: invalid request finish in idle state/);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRollupLoop, type RequestHandlers } from '../rollup/loop.ts';
import { BatchRollupClient, formatResults } from './client.ts';
import { readDrive, writeDrive } from './drive.ts';
import { batchArgs } from './main.ts';

const advance = (index: number, payload: string) => ({
  request_type: 'advance_state',
  data: {
    metadata: {
      msg_sender: '0x' + '11'.repeat(20),
      epoch_index: 0,
      input_index: index,
      block_number: 7,
      timestamp: 9,
    },
    payload,
  },
});
const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe('batch mode', () => {
  it("runs the unchanged /finish loop over a list and records each request's outputs and status", async () => {
    const stop = new AbortController();
    const client = new BatchRollupClient(
      [
        advance(0, '0x01'),
        advance(1, '0x02'),
        { request_type: 'nonsense' },
        { request_type: 'inspect_state', data: { payload: '0x' } },
      ],
      stop,
    );
    const handlers: RequestHandlers = {
      advance: async (r) => {
        if (r.data.payload === '0x02') return 'reject';
        await client.notice(new Uint8Array([0xab]));
        await client.voucher('0xABCDEF0123456789abcdef0123456789ABCDEF01', new Uint8Array([1, 2]));
        return 'accept';
      },
      inspect: async () => (await client.report(new Uint8Array([0x69])), 'accept'),
      failed: async () => {},
      unreadable: async (e) => client.report(new TextEncoder().encode(e.message.slice(0, 10))),
    };
    await runRollupLoop(client, handlers, { log: silent, signal: stop.signal });
    expect(stop.signal.aborted).toBe(true);
    expect(
      formatResults(client.results)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        request: 0,
        request_type: 'advance_state',
        input_index: 0,
        status: 'accept',
        vouchers: [{ destination: '0xabcdef0123456789abcdef0123456789abcdef01', payload: '0x0102' }],
        notices: [{ payload: '0xab' }],
        reports: [],
      },
      {
        request: 1,
        request_type: 'advance_state',
        input_index: 1,
        status: 'reject',
        vouchers: [],
        notices: [],
        reports: [],
      },
      {
        request: 2,
        request_type: 'nonsense',
        status: 'reject',
        vouchers: [],
        notices: [],
        reports: [{ payload: '0x' + Buffer.from('/finish re').toString('hex') }],
      },
      {
        request: 3,
        request_type: 'inspect_state',
        status: 'accept',
        vouchers: [],
        notices: [],
        reports: [{ payload: '0x69' }],
      },
    ]);
  });

  it('reads the drive flags, and refuses half of them', () => {
    expect(batchArgs([])).toBeNull();
    expect(batchArgs(['--inputs', '/dev/pmem2', '--outputs', '/dev/pmem3'])).toEqual({
      inputs: '/dev/pmem2',
      outputs: '/dev/pmem3',
    });
    expect(() => batchArgs(['--inputs', 'x'])).toThrow(/both --inputs <drive> and --outputs <drive>/);
  });

  it('a drive holds one document up to the first zero byte; a shorter one written later hides the old tail', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'tt-drive-')), 'drive.bin');
    writeFileSync(f, Buffer.alloc(64));
    writeDrive(f, '{"a":"long document"}');
    writeDrive(f, '[1]');
    expect(readDrive(f)).toBe('[1]');
    expect(readFileSync(f).length).toBe(64);
  });
});

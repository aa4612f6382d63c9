import { describe, expect, it } from 'vitest';
import { BackendGoneError, HostRunner, RollupApiError } from './host-runner.js';

type Reply = { status: number; body: unknown };

/** Calls /finish and resolves with what the long poll answers. */
const finish = (h: HostRunner, status: string, alive = () => true) =>
  new Promise<Reply>((resolve) =>
    h.finish({ status }, (r) => {
      if (!alive()) return false;
      resolve(r);
      return true;
    }),
  );

const meta = {
  msg_sender: '0x' + '11'.repeat(20),
  epoch_index: 0,
  input_index: 7,
  block_number: 3,
  timestamp: 1700000000,
};

describe('HostRunner', () => {
  it('answers 202 "no rollup request available" when nothing comes before the timeout', async () => {
    const h = new HostRunner(50);
    expect(await finish(h, 'accept')).toEqual({ status: 202, body: 'no rollup request available' });
  });

  it('hands an advance to the backend and collects its outputs until the next finish', async () => {
    const h = new HostRunner(1000);
    const result = h.advance(meta, '0xdead');
    const req = await finish(h, 'accept');
    expect(req).toEqual({
      status: 200,
      body: { request_type: 'advance_state', data: { metadata: meta, payload: '0xdead' } },
    });
    expect(h.notice({ payload: '0x01' })).toEqual({ index: 0 });
    expect(h.voucher({ destination: '0x' + 'AB'.repeat(20), payload: '0x' })).toEqual({ index: 0 });
    expect(h.notice({ payload: '0x02' })).toEqual({ index: 1 });
    h.report({ payload: '0x03' });
    void finish(h, 'accept');
    expect(await result).toEqual({
      status: 'ACCEPTED',
      vouchers: [{ destination: '0x' + 'ab'.repeat(20), payload: '0x' }],
      notices: [{ payload: '0x01' }, { payload: '0x02' }],
      reports: [{ payload: '0x03' }],
      exceptionPayload: null,
    });
    h.close('done');
  });

  it('records rejections and exceptions', async () => {
    const h = new HostRunner(1000);
    const rejected = h.advance(meta, '0x');
    await finish(h, 'accept');
    h.report({ payload: '0xee' });
    const next = finish(h, 'reject');
    expect((await rejected).status).toBe('REJECTED');
    const excepted = h.advance(meta, '0x');
    await next;
    h.exception({ payload: '0x626f6f6d' });
    expect(await excepted).toMatchObject({ status: 'EXCEPTION', exceptionPayload: '0x626f6f6d' });
    h.close('done');
  });

  it('refuses outputs outside an advance, and vouchers and notices during an inspect', async () => {
    const h = new HostRunner(1000);
    expect(() => h.voucher({ destination: '0x' + '00'.repeat(20), payload: '0x' })).toThrow(
      'invalid request voucher in idle state',
    );
    expect(() => h.finish({ status: 'ok' }, () => true)).toThrow(RollupApiError);
    const inspected = h.inspect('0x69');
    expect((await finish(h, 'accept')).body).toEqual({
      request_type: 'inspect_state',
      data: { payload: '0x69' },
    });
    expect(() => h.notice({ payload: '0x' })).toThrow('invalid request notice in inspect state');
    h.report({ payload: '0x6f6b' });
    void finish(h, 'accept');
    expect(await inspected).toEqual({
      status: 'Accepted',
      reports: [{ payload: '0x6f6b' }],
      exceptionPayload: null,
    });
    h.close('done');
  });

  it('lets an inspect overtake queued advances, but keeps advances in order', async () => {
    const h = new HostRunner(1000);
    const a1 = h.advance({ ...meta, input_index: 1 }, '0x01');
    const a2 = h.advance({ ...meta, input_index: 2 }, '0x02');
    // a1 is not dispatched yet (no backend polling): the inspect goes before it
    h.inspect('0xff');
    const order: unknown[] = [];
    for (let i = 0; i < 3; i++)
      order.push(((await finish(h, 'accept')).body as { data: { payload: string } }).data.payload);
    expect(order).toEqual(['0xff', '0x01', '0x02']);
    void finish(h, 'accept');
    await Promise.all([a1, a2]);
    h.close('done');
  });

  it('does not give a request to a poll whose connection closed, and aborts when the backend dies', async () => {
    const h = new HostRunner(1000);
    void finish(h, 'accept', () => false);
    const advanced = h.advance(meta, '0x');
    expect(h.busy).toBe(false);
    await finish(h, 'accept');
    expect(h.busy).toBe(true);
    h.abortCurrent('dapp exited with exit code 1');
    await expect(advanced).rejects.toBeInstanceOf(BackendGoneError);
    h.close('done');
  });
});

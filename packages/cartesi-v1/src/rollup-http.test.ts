import { describe, expect, it } from 'vitest';
import { parseRollupRequest, RollupProtocolError } from './rollup-http.ts';

const advance = {
  request_type: 'advance_state',
  data: {
    metadata: {
      msg_sender: '0xAB7528BB862FB57E8A2BCD567A2E929A0BE56A5E',
      epoch_index: 0,
      input_index: 3,
      block_number: 12,
      timestamp: 1700000000,
    },
    payload: '0x1234',
  },
};

describe('parseRollupRequest', () => {
  it('reads advance and inspect requests, the sender in lowercase', () => {
    const r = parseRollupRequest(advance);
    expect(r.request_type).toBe('advance_state');
    if (r.request_type === 'advance_state') {
      expect(r.data.metadata.msg_sender).toBe('0xab7528bb862fb57e8a2bcd567a2e929a0be56a5e');
      expect(r.data.metadata.input_index).toBe(3);
    }
    expect(parseRollupRequest({ request_type: 'inspect_state', data: { payload: '0x' } })).toEqual({
      request_type: 'inspect_state',
      data: { payload: '0x' },
    });
  });

  it('refuses anything else with a RollupProtocolError that says what is wrong', () => {
    for (const [value, why] of [
      [null, /not an object/],
      [{ request_type: 'advance_state' }, /no data/],
      [{ ...advance, data: { ...advance.data, payload: '0x123' } }, /payload is not 0x-hex/],
      [{ ...advance, request_type: 'other' }, /unknown request_type/],
      [
        { ...advance, data: { ...advance.data, metadata: { ...advance.data.metadata, msg_sender: '0x12' } } },
        /msg_sender/,
      ],
      [
        { ...advance, data: { ...advance.data, metadata: { ...advance.data.metadata, input_index: -1 } } },
        /input_index/,
      ],
    ] as const) {
      expect(() => parseRollupRequest(value)).toThrow(RollupProtocolError);
      expect(() => parseRollupRequest(value)).toThrow(why);
    }
  });

  it('marks a u64 a JS number cannot hold as NaN instead of guessing', () => {
    const big = {
      ...advance,
      data: { ...advance.data, metadata: { ...advance.data.metadata, timestamp: 2 ** 60 } },
    };
    const r = parseRollupRequest(big);
    expect(r.request_type === 'advance_state' && Number.isNaN(r.data.metadata.timestamp)).toBe(true);
  });
});

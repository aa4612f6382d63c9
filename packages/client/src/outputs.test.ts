import { describe, expect, it } from 'vitest';
import { TrustAndTeach__factory } from '@tt/contracts';
import { deriveSeed, encodeResponseNotice, toHex, type Hex, type ResponseNotice } from '@tt/protocol';
import { checkOutputs, describeRefused, type ExpectedOutputs } from './outputs.ts';
import type { NodeView, NodeVoucher } from './rollup.ts';

const tt = TrustAndTeach__factory.createInterface();
const TT = ('0x' + '7a'.repeat(20)) as Hex;
const MODEL = ('0x' + 'ab'.repeat(32)) as Hex;
const expected: ExpectedOutputs = {
  trustAndTeach: TT,
  conversationId: 5n,
  modelHash: MODEL,
  params: { steps: 64, temperatureMilli: 800, topPMilli: 900 },
};

function post(
  over: Partial<{ id: bigint; index: number; text: string; model: string; seed: bigint; steps: number }> = {},
) {
  const index = over.index ?? 0;
  const id = over.id ?? 5n;
  return tt.encodeFunctionData('postResponse', [
    id,
    index,
    toHex(new TextEncoder().encode(over.text ?? `response ${index}`)),
    over.model ?? MODEL,
    over.seed ?? deriveSeed(id, index > 1 ? 0 : (index as 0 | 1)),
    over.steps ?? 64,
    800,
    900,
  ]) as Hex;
}
const voucher = (index: number, payload: Hex, destination: Hex = TT): NodeVoucher => ({
  index,
  destination,
  payload,
  proof: null,
});
function notice(responseIndex: 0 | 1, over: Partial<ResponseNotice> = {}): ResponseNotice {
  return {
    conversationId: 5n,
    responseIndex,
    inputIndex: 9,
    bytes: new TextEncoder().encode(`response ${responseIndex}`),
    tokens: [1, 2],
    promptTokens: 1,
    seed: deriveSeed(5n, responseIndex),
    steps: 64,
    temperatureMilli: 800,
    topPMilli: 900,
    modelHash: MODEL,
    engineVersion: '1.0.0',
    ...over,
  };
}
function view(vouchers: NodeVoucher[], notices: ResponseNotice[] = []): NodeView {
  return {
    inputIndex: 9,
    status: 'ACCEPTED',
    notices: [undefined, undefined],
    allNotices: notices.map((n, index) => ({ index, notice: n })),
    vouchers,
    reports: [],
  };
}

describe('checkOutputs: outputs chosen by what they decode to, never by position', () => {
  it('finds both responses behind forged vouchers of every kind, and reports each forgery', () => {
    const forged = [
      voucher(0, post({ index: 0 }), ('0x' + '99'.repeat(20)) as Hex), // another destination
      voucher(1, post({ id: 6n, index: 0 })), // another conversation
      voucher(2, post({ index: 0, model: '0x' + '00'.repeat(32) })), // another model
      voucher(3, post({ index: 1, seed: 7n })), // a seed the contract would refuse
      voucher(4, post({ index: 0, steps: 12 })), // other parameters
      voucher(5, post({ index: 2 })), // a response that does not exist
      voucher(6, tt.encodeFunctionData('bindDApp', [TT]) as Hex), // another call
      voucher(7, '0xdeadbeef'), // not a call at all
    ];
    const v = checkOutputs(
      view([...forged, voucher(8, post({ index: 1 })), voucher(9, post({ index: 0 }))]),
      expected,
    );
    expect(v.vouchers.map((x) => [x.index, x.responseIndex])).toEqual([
      [9, 0],
      [8, 1],
    ]);
    expect(v.refused!.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const lines = describeRefused(v.refused!, 9);
    expect(lines[0]).toMatch(/input 9's voucher 0 goes to 0x9999.*not TrustAndTeach/);
    expect(lines[1]).toMatch(/conversation 6, not 5/);
    expect(lines[2]).toMatch(/names model 0x0000.*not the contract's/);
    expect(lines[3]).toMatch(/seed 7/);
    expect(lines[4]).toMatch(/other sampling parameters/);
    expect(lines[5]).toMatch(/response 2, which does not exist/);
    expect(lines[6]).toMatch(/calls bindDApp/);
    expect(lines[7]).toMatch(/not a TrustAndTeach call/);
  });

  it('refuses both of two vouchers that claim the same response: nothing says which is genuine', () => {
    const v = checkOutputs(
      view([
        voucher(0, post({ index: 0, text: 'forged' })),
        voucher(1, post({ index: 0 })),
        voucher(2, post({ index: 1 })),
      ]),
      expected,
    );
    expect(v.vouchers.map((x) => x.responseIndex)).toEqual([1]);
    expect(v.refused!.map((r) => [r.index, r.reason])).toEqual([
      [0, 'is one of 2 vouchers (0, 1) claiming response 0: none is used'],
      [1, 'is one of 2 vouchers (0, 1) claiming response 0: none is used'],
    ]);
  });

  it('keeps the notices that are the conversation’s, by what they say', () => {
    const v = checkOutputs(
      view(
        [],
        [
          notice(1, { conversationId: 4n, seed: deriveSeed(4n, 1) }),
          notice(1),
          notice(0, { modelHash: ('0x' + '11'.repeat(32)) as Hex }),
          notice(0),
          notice(0, { inputIndex: 3 }),
        ],
      ),
      expected,
    );
    expect(v.notices.map((n) => n?.responseIndex)).toEqual([0, 1]);
    expect(v.refused!.map((r) => [r.kind, r.index])).toEqual([
      ['notice', 0],
      ['notice', 2],
      ['notice', 4],
    ]);
    expect(encodeResponseNotice(v.notices[0]!)).toEqual(encodeResponseNotice(notice(0)));
  });

  it('recognises the rejection voucher, and refuses one that contradicts posted responses', () => {
    const reject = (id: bigint, reason: number) => tt.encodeFunctionData('rejectPrompt', [id, reason]) as Hex;
    const alone = checkOutputs(view([voucher(0, reject(5n, 3))]), expected);
    expect(alone.rejection).toMatchObject({ reason: 3, voucher: { index: 0 } });
    expect(alone.vouchers).toEqual([]);
    expect(checkOutputs(view([voucher(0, reject(6n, 3))]), expected).rejection).toBeUndefined();
    const both = checkOutputs(view([voucher(0, post({ index: 0 })), voucher(1, reject(5n, 3))]), expected);
    expect(both.rejection).toBeUndefined();
    expect(both.refused!.map((r) => r.index)).toEqual([1]);
  });
});

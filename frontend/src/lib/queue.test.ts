import { conversationState, type Conversation, type Hex, type NodeView } from '@tt/client';
import { describe, expect, it } from 'vitest';
import { countByFilter, describeProgress, filterItems, nextNeedingMe, queueProgress } from './queue.ts';

const ME = ('0x' + '11'.repeat(20)) as Hex;
const OTHER = ('0x' + '22'.repeat(20)) as Hex;
const MODEL = ('0x' + 'ab'.repeat(32)) as Hex;
const posted = (i: 0 | 1) => ({ responseIndex: i, bytes: new Uint8Array([65]), seed: 1n, modelHash: MODEL });

type Kind = 'posted' | 'rankedByMe' | 'rankedByOther' | 'proofsReady' | 'generating' | 'rejected';

function item(id: number, kind: Kind) {
  const onChain = kind === 'posted' || kind.startsWith('ranked');
  const c: Conversation = {
    id: BigInt(id),
    inputIndex: id,
    author: OTHER,
    prompt: new Uint8Array([72]),
    params: { steps: 32, temperatureMilli: 800, topPMilli: 900 },
    modelHash: MODEL,
    promptedAt: 1,
    responses: onChain ? [posted(0), posted(1)] : [undefined, undefined],
    rankings:
      kind === 'rankedByMe'
        ? [{ ranker: ME, order: [0, 1], rankedAt: 1 }]
        : kind === 'rankedByOther'
          ? [{ ranker: OTHER, order: [1, 0], rankedAt: 1 }]
          : [],
  };
  const node: NodeView | null = onChain
    ? null
    : {
        inputIndex: id,
        status: kind === 'rejected' ? 'REJECTED' : kind === 'generating' ? 'UNPROCESSED' : 'ACCEPTED',
        notices: [],
        vouchers:
          kind === 'proofsReady'
            ? [0, 1].map((index) => ({ index, destination: MODEL, payload: MODEL, proof: {} as never }))
            : [],
        reports: kind === 'rejected' ? ['{"type":"error","code":"bad-steps","message":"no"}'] : [],
      };
  return conversationState(c, node);
}

const items = [
  item(0, 'rankedByMe'),
  item(1, 'proofsReady'),
  item(2, 'posted'),
  item(3, 'rejected'),
  item(4, 'rankedByOther'),
  item(5, 'generating'),
  item(6, 'posted'),
];
const ids = (list: { conversation: { id: bigint } }[]) => list.map((s) => Number(s.conversation.id));

describe('the labelling queue', () => {
  it('shows what needs me oldest first, and the browsing views newest first', () => {
    expect(ids(filterItems(items, 'mine', ME))).toEqual([1, 2, 4, 6]);
    expect(ids(filterItems(items, 'post', ME))).toEqual([1]);
    expect(ids(filterItems(items, 'ranked', ME))).toEqual([0]);
    expect(ids(filterItems(items, 'rejected', ME))).toEqual([3]);
    expect(ids(filterItems(items, 'all', ME))).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(countByFilter(items, ME)).toEqual({ mine: 4, post: 1, all: 7, ranked: 1, rejected: 1 });
    // without a wallet nothing is "mine": every readable pair needs ranking
    expect(ids(filterItems(items, 'mine', null))).toEqual([0, 1, 2, 4, 6]);
  });

  it('opens the next pair that can be ranked now after the current one, wrapping, then one that needs posting', () => {
    expect(nextNeedingMe(items, null, ME)).toBe(2n); // #1 needs posting first; #2 can be ranked now
    expect(nextNeedingMe(items, 2n, ME)).toBe(4n);
    expect(nextNeedingMe(items, 6n, ME)).toBe(2n); // wraps around
    const onlyUnposted = [item(0, 'rankedByMe'), item(1, 'proofsReady')];
    expect(nextNeedingMe(onlyUnposted, 0n, ME)).toBe(1n);
    expect(nextNeedingMe([item(0, 'rankedByMe')], 0n, ME)).toBeNull();
  });

  it('counts progress for the line above the list, with plurals', () => {
    const p = queueProgress(items, ME);
    expect(p).toEqual({ total: 6, rankedByMe: 1, waitingToPost: 1, readyToPost: 1, generating: 1 });
    expect(describeProgress(p, true)).toBe('1 of 6 ranked by you · 1 waiting to post · 1 generating');
    expect(describeProgress(queueProgress([item(2, 'posted')], null), false)).toBe('1 pair');
  });
});

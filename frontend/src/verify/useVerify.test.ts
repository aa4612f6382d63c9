import { describe, expect, it } from 'vitest';
import { conversationState, type Conversation, type NodeView } from '@tt/client';
import { type ResponseNotice } from '@tt/protocol';
import { verdictDetail, verifiable } from './useVerify.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const hash = `0x${'cd'.repeat(32)}` as const;

const conversation: Conversation = {
  id: 4n,
  inputIndex: 9,
  author: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  prompt: enc('Once'),
  params: { steps: 32, temperatureMilli: 800, topPMilli: 900 },
  modelHash: hash,
  promptedAt: 1,
  responses: [{ responseIndex: 0, bytes: enc(' upon'), seed: 11n, modelHash: hash }, undefined],
  rankings: [],
};

function notice(i: 0 | 1, text: string, seed: bigint): ResponseNotice {
  return {
    conversationId: 4n,
    responseIndex: i,
    inputIndex: 9,
    bytes: enc(text),
    tokens: [1, 2, 3],
    promptTokens: 2,
    seed,
    steps: 32,
    temperatureMilli: 800,
    topPMilli: 900,
    modelHash: hash,
    engineVersion: '1.0.0',
  };
}

describe('what Verify checks', () => {
  it('uses the on-chain text where posted and the notice elsewhere', () => {
    const node: NodeView = {
      inputIndex: 9,
      status: 'ACCEPTED',
      notices: [notice(0, ' upon', 11n), notice(1, ' a time', 12n)],
      vouchers: [],
      reports: [],
    };
    const { conversation: c, sources } = verifiable(conversationState(conversation, node));
    expect(sources).toEqual(['on-chain', 'notice']);
    expect(new TextDecoder().decode(c.responses[1]!.bytes)).toBe(' a time');
    expect(c.responses[1]!.seed).toBe(12n);
  });
  it('has nothing to check before the responses exist', () => {
    const empty = { ...conversation, responses: [undefined, undefined] as Conversation['responses'] };
    expect(verifiable(conversationState(empty, null)).sources).toEqual([null, null]);
  });
});

describe('what a verified response says', () => {
  it('says where a fine-tuned version’s weights came from and the hash the chain registered', () => {
    expect(verdictDetail(12, 'on-chain')).toBe(
      'Re-ran in your browser: all 12 bytes match the on-chain text.',
    );
    expect(verdictDetail(12, 'on-chain', { version: 1, modelHash: hash, from: 'chain' })).toBe(
      "Re-ran in your browser with v1's weights, re-derived from the chain (its teach inputs replayed with " +
        `the deterministic trainer): they hash to ${hash}, the hash the chain registered. All 12 bytes ` +
        'match the on-chain text.',
    );
    expect(verdictDetail(3, 'notice', { version: 2, modelHash: hash, from: 'file' })).toMatch(
      /^Re-ran in your browser with v2's weights, from your weights file: .* All 3 bytes match the notice/,
    );
  });
});

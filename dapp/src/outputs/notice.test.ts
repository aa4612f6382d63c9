import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../hex.ts';
import { responseNotice } from './notice.ts';

describe('response notice', () => {
  const record = {
    conversationId: 2n ** 200n,
    responseIndex: 1 as const,
    inputIndex: 7,
    bytes: Uint8Array.of(0x48, 0x69, 0x00, 0x0a, 0x22, 0xe2, 0x82), // "Hi\0\n\"" then a cut '€'
    tokens: [1, 9038, 2501, 13],
    promptTokens: 2,
    seed: 2n ** 64n - 1n,
    steps: 4,
    temperatureMilli: 800,
    topPMilli: 900,
    modelHash: '0x' + 'ab'.repeat(32),
    engineVersion: '1.0.0',
  };

  it('is UTF-8 JSON with the documented keys in order and the exact bytes in textHex', () => {
    const json = new TextDecoder('utf-8', { fatal: true }).decode(responseNotice(record));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'type',
      'conversationId',
      'responseIndex',
      'inputIndex',
      'text',
      'textHex',
      'utf8Valid',
      'tokens',
      'promptTokens',
      'seed',
      'steps',
      'temperatureMilli',
      'topPMilli',
      'modelHash',
      'engineVersion',
    ]);
    expect(parsed).toMatchObject({
      type: 'response',
      conversationId: (2n ** 200n).toString(),
      responseIndex: 1,
      inputIndex: 7,
      text: 'Hi\u0000\n"\uFFFD',
      utf8Valid: false,
      seed: '18446744073709551615',
      tokens: [1, 9038, 2501, 13],
    });
    expect(hexToBytes(parsed.textHex as string)).toEqual(record.bytes);
  });
});

import { describe, expect, it } from 'vitest';
import { encodeUtf8, toHex } from './bytes.ts';
import { parseResponseNotice } from './notice.ts';

const notice = {
  type: 'response',
  conversationId: '7',
  responseIndex: 1,
  inputIndex: 3,
  text: 'a\uFFFD',
  textHex: '0x61e4b8',
  utf8Valid: false,
  tokens: [1, 9038, 2501],
  promptTokens: 2,
  seed: '18446744073709551615',
  steps: 3,
  temperatureMilli: 800,
  topPMilli: 900,
  modelHash: '0x' + '00'.repeat(32),
  engineVersion: '1.0.0',
};
const payload = (o: unknown) => toHex(encodeUtf8(JSON.stringify(o)));

describe('parseResponseNotice', () => {
  it('takes the exact bytes from textHex and keeps uint64 seeds exact', () => {
    const n = parseResponseNotice(payload(notice))!;
    expect(Array.from(n.bytes)).toEqual([0x61, 0xe4, 0xb8]);
    expect(n.utf8Valid).toBe(false);
    expect(n.seed).toBe(18446744073709551615n);
    expect(n.conversationId).toBe(7n);
    expect(n.responseIndex).toBe(1);
  });
  it('ignores notices of other types and non-JSON payloads', () => {
    expect(parseResponseNotice(payload({ type: 'info' }))).toBeNull();
    expect(parseResponseNotice('0xdeadbeef')).toBeNull();
  });
  it('refuses a response notice with a malformed field', () => {
    expect(() => parseResponseNotice(payload({ ...notice, responseIndex: 2 }))).toThrow(/responseIndex/);
    expect(() => parseResponseNotice(payload({ ...notice, steps: '3' }))).toThrow(/steps/);
  });
});

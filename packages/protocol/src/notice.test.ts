import { describe, expect, it } from 'vitest';
import { encodeUtf8, fromHex, toHex } from './bytes.ts';
import { NoticeError } from './errors.ts';
import { encodeResponseNotice, parseResponseNotice, type ResponseNotice } from './notice.ts';

const notice: ResponseNotice = {
  conversationId: 2n ** 200n,
  responseIndex: 1,
  inputIndex: 7,
  bytes: Uint8Array.of(0x48, 0x69, 0x00, 0x0a, 0x22, 0xe2, 0x82), // "Hi\0\n\"" then a cut '€'
  tokens: [1, 9038, 2501, 13],
  promptTokens: 2,
  seed: 2n ** 64n - 1n,
  steps: 4,
  temperatureMilli: 800,
  topPMilli: 900,
  modelHash: `0x${'ab'.repeat(32)}`,
  engineVersion: '1.0.0',
};
const json = (o: unknown) => toHex(encodeUtf8(JSON.stringify(o)));
const written = () =>
  JSON.parse(new TextDecoder().decode(encodeResponseNotice(notice))) as Record<string, unknown>;

describe('the response notice', () => {
  it('is UTF-8 JSON with the documented keys in order and the exact bytes in textHex', () => {
    const parsed = written();
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
      text: 'Hi\u0000\n"\uFFFD',
      utf8Valid: false,
      seed: '18446744073709551615',
    });
    expect(fromHex(parsed.textHex as string)).toEqual(notice.bytes);
  });

  it('reads back what the writer wrote, from bytes or from hex', () => {
    expect(parseResponseNotice(encodeResponseNotice(notice))).toEqual(notice);
    expect(parseResponseNotice(toHex(encodeResponseNotice(notice)))).toEqual(notice);
  });

  it('ignores notices of other types and payloads that are not UTF-8 JSON', () => {
    expect(parseResponseNotice(json({ type: 'info' }))).toBeNull();
    expect(parseResponseNotice('0xdeadbeef')).toBeNull();
    expect(parseResponseNotice(json([1, 2]))).toBeNull();
  });

  it('refuses a response notice with a malformed field, or text that disagrees with its bytes', () => {
    for (const [change, problem] of [
      [{ responseIndex: 2 }, /responseIndex/],
      [{ steps: '3' }, /steps/],
      [{ seed: '-1' }, /seed/],
      [{ textHex: '0xabc' }, /textHex/],
      [{ text: 'something else' }, /'text' does not show/],
      [{ utf8Valid: true }, /utf8Valid/],
      [{ modelHash: '0x12' }, /modelHash/],
    ] as const) {
      expect(() => parseResponseNotice(json({ ...written(), ...change }))).toThrow(NoticeError);
      expect(() => parseResponseNotice(json({ ...written(), ...change }))).toThrow(problem);
    }
  });
});

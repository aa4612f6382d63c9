import { describe, expect, it } from 'vitest';
import { ITrustAndTeachInput__factory, TrustAndTeach__factory } from '@tt/contracts';
import { hexlify, toUtf8Bytes } from 'ethers';
import { decodeInputPayload, decodeTextPayload, decodeVoucherPayload } from './payloads.ts';

const hex = (s: string) => hexlify(toUtf8Bytes(s));

describe('payload decoding', () => {
  it('reads a prompt input', () => {
    const data = ITrustAndTeachInput__factory.createInterface().encodeFunctionData('prompt', [
      3n,
      toUtf8Bytes('Once upon a time'),
      64,
      800,
      900,
    ]);
    const d = decodeInputPayload(data);
    expect(d.kind).toBe('call');
    expect(d.summary).toBe('prompt #3 · 64 tokens · “Once upon a time”');
    expect(JSON.parse(d.body)).toMatchObject({ conversationId: '3', temperatureMilli: 800 });
  });
  it('reads a postResponse voucher', () => {
    const data = TrustAndTeach__factory.createInterface().encodeFunctionData('postResponse', [
      3n,
      1,
      toUtf8Bytes(' there was'),
      `0x${'11'.repeat(32)}`,
      42n,
      64,
      800,
      900,
    ]);
    expect(decodeVoucherPayload(data).summary).toBe('postResponse #3 · response 1 · “ there was”');
  });
  it('reads notices and reports, and keeps bad bytes as hex', () => {
    expect(
      decodeTextPayload(
        hex(JSON.stringify({ type: 'error', code: 'empty-prompt', message: 'Write something.' })),
      ).summary,
    ).toBe('error empty-prompt: Write something.');
    expect(
      decodeTextPayload(
        hex(JSON.stringify({ type: 'response', conversationId: '2', responseIndex: 1, text: 'hi' })),
      ).summary,
    ).toBe('response #2 · B · “hi”');
    expect(decodeTextPayload(hex('plain words')).kind).toBe('text');
    expect(decodeTextPayload('0xff00').kind).toBe('hex');
  });
});

import { describe, expect, it } from 'vitest';
import { encodeErrorReport, encodeInfoReport, parseReportText } from './reports.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('reports', () => {
  it('writes one error report as {"type","code","message"} and reads it back', () => {
    const t = text(encodeErrorReport('prompt-too-long', 'the prompt is 5000 bytes; shorten it'));
    expect(JSON.parse(t)).toEqual({
      type: 'error',
      code: 'prompt-too-long',
      message: 'the prompt is 5000 bytes; shorten it',
    });
    expect(parseReportText(t)).toEqual(JSON.parse(t));
  });

  it('reads the info report (the model card)', () => {
    const info = {
      model: { name: 'stories260K', license: 'MIT', hash: '0x00', config: { seqLen: 512 } },
      engineVersion: '1.0.0',
      contract: '0x0000000000000000000000000000000000000001',
      counters: { processed: 3, accepted: 2, rejected: 1 },
    };
    expect(parseReportText(text(encodeInfoReport(info)))).toEqual({ type: 'info', ...info });
  });

  it('keeps a code it does not know, and gives null for text that is not one of its reports', () => {
    expect(parseReportText('{"type":"error","code":"from-the-future","message":"m"}')?.type).toBe('error');
    for (const other of ['plain text', '{"type":"error"}', '[1]', 'null'])
      expect(parseReportText(other)).toBeNull();
  });
});

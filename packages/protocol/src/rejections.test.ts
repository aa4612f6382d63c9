import { describe, expect, it } from 'vitest';
import { REJECT_CODES } from './reports.ts';
import { REJECTION_REASONS, rejectionReasonCode, rejectionReasonName } from './rejections.ts';

describe('on-chain rejection reasons', () => {
  it('number the prompt-caused rejections from 1 and map both ways', () => {
    expect(rejectionReasonCode('empty-prompt')).toBe(1);
    expect(rejectionReasonCode('prompt-exceeds-context')).toBe(3);
    for (const [i, code] of REJECTION_REASONS.entries()) {
      expect(REJECT_CODES).toContain(code);
      expect(rejectionReasonName(rejectionReasonCode(code)!)).toBe(code);
      expect(rejectionReasonCode(code)).toBe(i + 1);
    }
    expect(REJECTION_REASONS.length).toBeLessThan(256); // a uint8 on chain
  });

  it('leave out failures that are not the prompt’s, and name unknown reasons', () => {
    for (const code of ['engine-error', 'internal-error', 'unknown-sender', 'bad-payload'])
      expect(rejectionReasonCode(code)).toBeNull();
    expect(rejectionReasonName(200)).toBe('reason-200');
  });
});

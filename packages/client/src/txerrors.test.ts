import { describe, expect, it } from 'vitest';
import { TtError } from './errors.ts';
import { explainTxError, isNonceRace, sendWithNonceRetry } from './txerrors.ts';

describe('explainTxError', () => {
  it('turns the ways nodes say "no money" into insufficient-funds with a next step', () => {
    for (const err of [
      { code: 'INSUFFICIENT_FUNDS', message: 'insufficient funds for intrinsic transaction cost' },
      {
        message:
          "Sender doesn't have enough funds to send tx. The max upfront cost is: 1 and the sender's balance is: 0.",
      },
    ]) {
      const e = explainTxError(err, '0xabc');
      expect(e).toBeInstanceOf(TtError);
      expect(e).toMatchObject({ code: 'insufficient-funds', hint: expect.stringContaining('--account') });
      expect(e.message).toContain('0xabc');
    }
  });
  it('passes other errors through unchanged', () => {
    const err = new Error('execution reverted');
    expect(explainTxError(err, '0x')).toBe(err);
  });
});

describe('sendWithNonceRetry', () => {
  it('retries a nonce race and returns the later success', async () => {
    let calls = 0;
    const result = await sendWithNonceRetry(async () => {
      calls++;
      if (calls < 3) throw new Error('Nonce too low. Expected nonce to be 5 but got 4.');
      return 'sent';
    });
    expect(result).toBe('sent');
    expect(calls).toBe(3);
  });
  it('does not retry other errors, and gives up after the attempts', async () => {
    let calls = 0;
    await expect(
      sendWithNonceRetry(async () => {
        calls++;
        throw new Error('execution reverted');
      }),
    ).rejects.toThrow('execution reverted');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      sendWithNonceRetry(async () => {
        calls++;
        throw { code: 'NONCE_EXPIRED', message: 'nonce has already been used' };
      }, 2),
    ).rejects.toMatchObject({ code: 'NONCE_EXPIRED' });
    expect(calls).toBe(2);
    expect(isNonceRace({ message: 'replacement transaction underpriced' })).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Interface } from 'ethers';
import { describeError, revertData } from './errors.ts';

describe('describeError', () => {
  it('explains a rejected signature', () => {
    expect(describeError({ code: 'ACTION_REJECTED', message: 'user rejected action' }).message).toMatch(
      /rejected/,
    );
    expect(describeError({ code: 4001 }).hint).toMatch(/Nothing was sent/);
  });
  it('decodes a custom error from nested revert data', () => {
    const iface = new Interface(['error ResponsesNotPosted(uint256 conversationId)']);
    const data = iface.encodeErrorResult('ResponsesNotPosted', [7n]);
    const err = { code: 'CALL_EXCEPTION', message: 'execution reverted', error: { data: { data } } };
    expect(revertData(err)).toBe(data);
    expect(describeError(err, iface)).toEqual({
      message: 'The contract refused: ResponsesNotPosted(7).',
      hint: 'Post both responses on-chain first.',
    });
  });
  it('says how to start the devnet when nothing answers', () => {
    expect(describeError(new TypeError('Failed to fetch')).hint).toMatch(/pnpm dev/);
  });
  it('words client errors for the page instead of the command line', () => {
    expect(
      describeError({
        name: 'TtError',
        code: 'bad-argument',
        message: 'the prompt is empty',
        hint: 'give some text to continue',
      }),
    ).toEqual({
      message: 'The prompt is empty.',
      hint: 'give some text to continue',
    });
    expect(
      describeError({
        name: 'TtError',
        code: 'proofs-not-ready',
        message: 'no proof yet',
        hint: 'wait (`tt post ID --wait`)',
      }).hint,
    ).toMatch(/retries by itself/);
    expect(
      describeError({ name: 'TtError', code: 'voucher-failed', message: 'x', hint: 'see `pnpm tt status 3`' })
        .hint,
    ).toBeUndefined();
  });
});

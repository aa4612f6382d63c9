import { describe, expect, it } from 'vitest';
import { deriveStage, parseRejection, type NodeFacts, type StageFacts } from './stage.ts';

const none = [false, false] as const;
const node = (over: Partial<NodeFacts>): NodeFacts => ({
  status: 'ACCEPTED',
  responseNotices: 2,
  provenVouchers: 0,
  reports: [],
  ...over,
});
const stage = (f: Partial<StageFacts>) =>
  deriveStage({ node: null, responsesPosted: none, rankingCount: 0, ...f });

describe('deriveStage', () => {
  it('walks the happy path in order', () => {
    expect(stage({}).stage).toBe('submitted');
    expect(stage({ node: node({ status: 'UNPROCESSED', responseNotices: 0 }) }).stage).toBe('generating');
    expect(stage({ node: node({}) })).toMatchObject({
      stage: 'responsesReady',
      label: 'responses ready (off-chain)',
    });
    expect(stage({ node: node({ provenVouchers: 2 }) }).stage).toBe('proofsReady');
    expect(stage({ node: node({ provenVouchers: 2 }), responsesPosted: [true, true] })).toMatchObject({
      stage: 'posted',
      postedCount: 2,
    });
    expect(
      stage({ node: node({ provenVouchers: 2 }), responsesPosted: [true, true], rankingCount: 3 }),
    ).toMatchObject({
      stage: 'ranked',
      label: 'ranked (3)',
      rankingCount: 3,
    });
  });

  it('does not call responses ready on one notice, nor proofs ready on one proof', () => {
    expect(stage({ node: node({ responseNotices: 1 }) }).stage).toBe('generating');
    expect(stage({ node: node({ provenVouchers: 1 }) }).stage).toBe('responsesReady');
  });

  it('says when only one of the two responses is posted', () => {
    const s = stage({ node: node({ provenVouchers: 2 }), responsesPosted: [false, true] });
    expect(s).toMatchObject({ stage: 'proofsReady', postedCount: 1, label: 'proofs ready (1 of 2 posted)' });
  });

  it('trusts the chain over a node that lags behind it', () => {
    expect(stage({ node: null, responsesPosted: [true, true] }).stage).toBe('posted');
  });

  it("shows the backend's reason for a rejected input", () => {
    const report = JSON.stringify({
      type: 'error',
      code: 'prompt-exceeds-context',
      message: 'the prompt is 300 tokens',
    });
    const s = stage({ node: node({ status: 'REJECTED', responseNotices: 0, reports: [report] }) });
    expect(s.stage).toBe('rejected');
    expect(s.rejection).toEqual({ code: 'prompt-exceeds-context', message: 'the prompt is 300 tokens' });
    expect(s.label).toBe('rejected: the prompt is 300 tokens');
  });

  it('shows a refused prompt as rejected while its rejection voucher waits, then as recorded on chain', () => {
    const report = JSON.stringify({
      type: 'error',
      code: 'prompt-exceeds-context',
      message: 'the prompt is 300 tokens',
    });
    const pending = stage({
      node: node({ responseNotices: 0, reports: [report], rejectionVoucher: true }),
    });
    expect(pending).toMatchObject({
      stage: 'rejected',
      rejection: { code: 'prompt-exceeds-context', recordable: true },
    });
    const recorded = stage({
      node: node({ responseNotices: 0, reports: [report], rejectionVoucher: true }),
      rejectionReason: 3,
    });
    expect(recorded).toMatchObject({
      stage: 'rejected',
      label: 'rejected: the prompt is 300 tokens',
      rejection: { code: 'prompt-exceeds-context', onChain: true },
    });
    // the chain alone (a node that lost the input) still says why, by code
    expect(stage({ rejectionReason: 3 }).label).toBe(
      'rejected: the backend refused this prompt (prompt-exceeds-context)',
    );
  });
});

describe('parseRejection', () => {
  it('keeps a non-JSON report as the message', () => {
    expect(parseRejection('EXCEPTION', ['engine crashed'])).toEqual({
      code: 'exception',
      message: 'engine crashed',
    });
  });
  it('names the status when there is no report', () => {
    expect(parseRejection('CYCLE_LIMIT_EXCEEDED', [])).toEqual({
      code: 'cycle-limit-exceeded',
      message: 'the rollup node reports status CYCLE_LIMIT_EXCEEDED',
    });
  });
});

// Rejected prompts on chain (docs/interfaces.md, "Rejected prompts"). When the backend refuses a prompt that
// TrustAndTeach sent for a reason that lies in the prompt itself (so the same prompt is refused again on every run),
// it accepts the input with an error report and one voucher, TrustAndTeach.rejectPrompt(conversationId, reason): in
// Cartesi v1 a rejected input's outputs are dropped, so only an accepted input can tell the chain. Executed, the
// voucher turns the conversation's status to Rejected with this reason code, so it no longer waits forever.
// Failures that are not the prompt's (engine-error, internal-error) stay plain rejections: another run may succeed.
import type { RejectCode } from './reports.ts';

/** Reasons recorded on chain, by code: reason n is REJECTION_REASONS[n - 1] (0 means not rejected). */
export const REJECTION_REASONS = [
  'empty-prompt',
  'prompt-too-long',
  'prompt-exceeds-context',
  'bad-steps',
  'bad-temperature',
  'bad-top-p',
  'unknown-model',
] as const satisfies readonly RejectCode[];
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The on-chain reason code of a rejection, or null when the rejection is not recorded on chain. */
export function rejectionReasonCode(code: string): number | null {
  const i = (REJECTION_REASONS as readonly string[]).indexOf(code);
  return i === -1 ? null : i + 1;
}

/** The rejection code of an on-chain reason, or `reason-<n>` for one this version does not know. */
export function rejectionReasonName(reason: number): string {
  return REJECTION_REASONS[reason - 1] ?? `reason-${reason}`;
}

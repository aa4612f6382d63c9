// A rejection: the code goes into the report as is (@tt/protocol REJECT_CODES, docs/interfaces.md "Reports"), the
// message says what is wrong and what to do about it, because it is what the user who sent the prompt will read.
import type { ErrorReportCode } from '@tt/protocol';

export class RejectError extends Error {
  /** The conversation the input was a prompt of, once its payload decoded (the rejection can then go on chain). */
  conversationId: bigint | undefined;

  constructor(
    readonly code: ErrorReportCode,
    message: string,
  ) {
    super(message);
    this.name = 'RejectError';
  }
}

// A rejection: the code goes into the report as is (docs/interfaces.md, "Reports"), the message says what is wrong and
// what to do about it, because it is what the user who sent the prompt will read.

export type RejectCode =
  | 'unknown-sender'
  | 'bad-payload'
  | 'empty-prompt'
  | 'prompt-too-long'
  | 'prompt-exceeds-context'
  | 'bad-steps'
  | 'bad-temperature'
  | 'bad-top-p'
  | 'engine-error'
  | 'internal-error';

export class RejectError extends Error {
  constructor(
    readonly code: RejectCode,
    message: string,
  ) {
    super(message);
    this.name = 'RejectError';
  }
}

// Something on the wire is not what the protocol says. The code lets a caller branch without matching on wording; the
// message names what is wrong and, through `hint`, what to do next.

export type ProtocolErrorCode = 'bad-payload' | 'bad-notice' | 'invalid-deployments' | 'bad-dataset';

export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** An input payload that is not the one canonical encoding of `prompt(...)`. */
export class PayloadError extends ProtocolError {
  constructor(message: string) {
    super('bad-payload', message, 'send prompts through TrustAndTeach.sendPrompt(...)');
    this.name = 'PayloadError';
  }
}

/** A notice that says it is a response notice but breaks the format. */
export class NoticeError extends ProtocolError {
  constructor(problem: string) {
    super(
      'bad-notice',
      `response notice: ${problem}`,
      'the backend that wrote it does not follow docs/interfaces.md',
    );
    this.name = 'NoticeError';
  }
}

/** A deployments file with a missing or malformed field; `source` names the file or URL. */
export class InvalidDeploymentsError extends ProtocolError {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(
      'invalid-deployments',
      `${source} is not a valid deployments file: ${problem}`,
      'pass the deployments file the deploy script or the devnet wrote',
    );
    this.name = 'InvalidDeploymentsError';
  }
}

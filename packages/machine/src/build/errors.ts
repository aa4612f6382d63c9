// Every way the build or a machine run can fail ends in one of these: which step, what happened, what to do next.

export class MachineError extends Error {
  override name = 'MachineError';
  constructor(
    /** e.g. 'kernel', 'emulator', 'host packages', 'run' */
    readonly step: string,
    readonly what: string,
    readonly next: string,
    /** the log of the failed command, when there is one */
    readonly logPath?: string,
  ) {
    super(`machine ${step}: ${what}${logPath ? ` (full log: ${logPath})` : ''}. ${next}`);
  }
}

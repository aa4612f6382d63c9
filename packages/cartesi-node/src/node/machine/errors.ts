// Errors of machine mode that a person acts on: what happened, then what to do.
export class MachineError extends Error {
  readonly code = 'machine-error';
  constructor(
    what: string,
    readonly next: string,
  ) {
    super(`machine: ${what}. ${next}`);
    this.name = 'MachineError';
  }
}

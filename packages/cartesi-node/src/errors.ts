// Errors of the local node that a person acts on, with a code to branch on and the next step in the message.

/** Something else listens on a port the chain or the node was told to use. */
export class PortInUseError extends Error {
  readonly code = 'port-in-use';
  constructor(
    /** 'chain' (JSON-RPC) or 'node' (GraphQL, inspect, rollup API). */
    readonly service: 'chain' | 'node',
    readonly port: number,
    options?: { cause?: unknown },
  ) {
    super(
      `port ${port} for the ${service === 'chain' ? 'chain JSON-RPC' : 'node'} is already in use (another devnet or ` +
        'Cartesi node?): stop it, or pick another port (0 = any free port)',
      options,
    );
    this.name = 'PortInUseError';
  }
}

/** Rethrows a listen failure as PortInUseError when the port was taken. */
export function listenError(e: unknown, service: 'chain' | 'node', port: number): Error {
  if ((e as { code?: string }).code === 'EADDRINUSE') return new PortInUseError(service, port, { cause: e });
  return e as Error;
}

/** Two processes on one state directory would interleave their chain journals and corrupt them. */
export class StateDirInUseError extends Error {
  readonly code = 'state-dir-in-use';
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(
      `another devnet (pid ${pid}) is using ${stateDir}: stop it first, or give this one its own --state-dir`,
    );
    this.name = 'StateDirInUseError';
  }
}

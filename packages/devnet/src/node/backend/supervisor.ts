// Runs the dApp backend on the host, like rollup-init runs it inside the machine, and keeps it
// running: if it dies, whatever request it held is aborted (the pipeline re-feeds that input to
// the new process, which is deterministic) and it is started again after a short back-off.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BackendCommand {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export class BackendSupervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private backoffMs = 200;
  restarts = 0;

  constructor(
    private readonly cmd: BackendCommand,
    private readonly rollupUrl: string,
    private readonly onExit: (reason: string) => void,
    private readonly log: (line: string) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start() {
    this.stopping = false;
    const child = spawn(this.cmd.command, this.cmd.args ?? [], {
      cwd: this.cmd.cwd,
      env: { ...process.env, ...this.cmd.env, ROLLUP_HTTP_SERVER_URL: this.rollupUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const startedAt = Date.now();
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.log(`[backend] ${line}`));
    }
    child.on('error', (e) => this.log(`backend: cannot start "${this.cmd.command}": ${e.message}`));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      const reason = `dapp exited with ${signal ? `signal ${signal}` : `exit code ${code}`}`;
      this.log(`backend: ${reason}; restarting it`);
      this.onExit(reason);
      // a backend that keeps crashing at start must not spin the CPU
      this.backoffMs = Date.now() - startedAt > 10_000 ? 200 : Math.min(this.backoffMs * 2, 5_000);
      this.restarts++;
      this.restartTimer = setTimeout(() => this.start(), this.backoffMs);
    });
  }

  /** Kills the backend and waits for it (used by tests to inject faults, and on shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }

  /** Sends a signal to the running backend without stopping supervision (fault injection). */
  kill(signal: NodeJS.Signals = 'SIGKILL') {
    this.child?.kill(signal);
  }
}

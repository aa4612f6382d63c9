// Runs the dApp backend on the host, like rollup-init runs it inside the machine, and keeps it
// running: if it dies, whatever request it held is aborted (the pipeline re-feeds that input to
// the new process, which is deterministic) and it is started again after a short back-off.
// The backend runs under watchdog.mjs, which takes it down if this node dies without cleaning up.
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BackendCommand {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));
/** How long a stopping backend gets to finish its current request before it is killed. */
const STOP_GRACE_MS = 5_000;

export class BackendSupervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private backoffMs = 200;
  /** pid of the backend process itself (not the watchdog), once it started. */
  pid: number | undefined;
  restarts = 0;

  constructor(
    private readonly cmd: BackendCommand,
    private readonly rollupUrl: string,
    private readonly onExit: (reason: string) => void,
    private readonly log: (line: string) => void,
  ) {}

  start() {
    this.stopping = false;
    this.pid = undefined;
    const child = fork(WATCHDOG, [this.cmd.command, ...(this.cmd.args ?? [])], {
      cwd: this.cmd.cwd,
      env: { ...process.env, ...this.cmd.env, ROLLUP_HTTP_SERVER_URL: this.rollupUrl },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // the watchdog is plain JavaScript: do not pass this process's loaders (tsx) on to it
      execArgv: [],
    });
    this.child = child;
    const startedAt = Date.now();
    child.on('message', (m: { pid?: number }) => {
      if (typeof m?.pid === 'number') this.pid = m.pid;
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.log(`[backend] ${line}`));
    }
    child.on('exit', (code) => {
      if (this.child === child) this.child = null;
      this.pid = undefined;
      if (this.stopping) return;
      const reason = `dapp exited with ${code !== null && code > 128 ? `signal ${code - 128}` : `exit code ${code}`}`;
      this.log(`backend: ${reason}; restarting it`);
      this.onExit(reason);
      // a backend that keeps crashing at start must not spin the CPU
      this.backoffMs = Date.now() - startedAt > 10_000 ? 200 : Math.min(this.backoffMs * 2, 5_000);
      this.restarts++;
      this.restartTimer = setTimeout(() => this.start(), this.backoffMs);
    });
  }

  /** Stops the backend (SIGTERM, then SIGKILL after STOP_GRACE_MS) and waits for it; no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Sends a signal to the backend process itself; supervision restarts it (fault injection). */
  kill(signal: NodeJS.Signals = 'SIGKILL') {
    if (this.child?.connected) this.child.send({ kill: signal });
  }
}

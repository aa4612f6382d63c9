// Drives test/fixtures/devnet-child.ts: start it, wait for log lines, send commands, kill -9 it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DevnetDeployments } from '@tt/devnet';

const runner = fileURLToPath(new URL('../test/fixtures/devnet-child.ts', import.meta.url));
export const liveChildren = new Set<ChildProcess>();

export interface Ready {
  pid: number;
  rpcUrl: string;
  graphqlUrl: string;
  nodeUrl: string;
  deployments: DevnetDeployments;
}

export class DevnetChild {
  readonly log: string[] = [];
  private lineWaiters: { re: RegExp; from: number; resolve: (l: string) => void }[] = [];
  private replies: ((o: any) => void)[] = [];
  exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  static async start(stateDir: string, env: Record<string, string> = {}): Promise<DevnetChild> {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, stateDir], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
    const log: string[] = [];
    let self: DevnetChild | undefined;
    createInterface({ input: child.stderr! }).on('line', (l) => {
      (self?.log ?? log).push(l);
      if (process.env.TT_TEST_LOG) console.log(`[devnet ${child.pid}] ${l}`);
      if (self) self.onLine(l);
    });
    const ready = await new Promise<Ready>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.on('line', (l) => {
        let o: any;
        try {
          o = JSON.parse(l);
        } catch {
          return;
        }
        if (o.ready) resolve(o);
        else self?.replies.shift()?.(o);
      });
      child.once('exit', (code) =>
        reject(
          new Error(`devnet child exited with ${code} before it was ready:\n${log.slice(-30).join('\n')}`),
        ),
      );
    });
    self = new DevnetChild(child, ready);
    self.log.push(...log);
    return self;
  }

  private onLine(l: string) {
    const idx = this.log.length - 1;
    for (const w of [...this.lineWaiters]) {
      if (idx >= w.from && w.re.test(l)) {
        this.lineWaiters.splice(this.lineWaiters.indexOf(w), 1);
        w.resolve(l);
      }
    }
  }

  /** Resolves with the first log line from now on matching re. */
  nextLine(re: RegExp, timeoutMs = 120_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no log line matching ${re} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.lineWaiters.push({
        re,
        from: this.log.length,
        resolve: (l) => {
          clearTimeout(t);
          resolve(l);
        },
      });
    });
  }

  command<T = any>(cmd: string, timeoutMs = 240_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer to ${cmd} within ${timeoutMs} ms`)), timeoutMs);
      this.replies.push((o) => {
        clearTimeout(t);
        if (o.error) reject(new Error(`${cmd}: ${o.error}`));
        else resolve(o);
      });
      this.child.stdin!.write(cmd + '\n');
    });
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
  }
}

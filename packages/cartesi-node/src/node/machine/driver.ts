// The node's side of driver/driver.lua: starts it (lua5.4 with the emulator's cartesi.so and our tt_process module,
// compiled once), sends one command at a time and gathers its answer lines. The driver runs in its own process group
// so stop() can end it together with a worker it may have forked; if this node dies without stopping it, the driver
// reads end-of-file on its commands (or fails writing an answer) and exits by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MachineError } from './errors.js';

const DRIVER = fileURLToPath(new URL('./driver/driver.lua', import.meta.url));
const PROCESS_C = fileURLToPath(new URL('./driver/process.c', import.meta.url));

/** One answer line of a command: its first word, and the rest. */
export interface AnswerLine {
  kind: string;
  rest: string;
}

/** The driver process went away (killed, crashed, or the node is stopping): the command will never answer. */
export class DriverGoneError extends Error {
  override name = 'DriverGoneError';
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (e) => resolve({ code: null, out: e.message }));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/**
 * tt_process.so for the driver, compiled from driver/process.c with the host's gcc and Lua 5.4 headers into
 * `dir` once per source version (the name carries the source's hash).
 */
export async function processModule(dir: string): Promise<string> {
  const source = readFileSync(PROCESS_C);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const moduleDir = join(dir, `tt_process-${key}`);
  if (existsSync(join(moduleDir, 'tt_process.so'))) return moduleDir;
  const tmp = `${moduleDir}.partial-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const r = await run('gcc', [
    '-shared',
    '-fPIC',
    '-O2',
    '-Wall',
    '-I/usr/include/lua5.4',
    '-o',
    join(tmp, 'tt_process.so'),
    PROCESS_C,
  ]);
  if (r.code !== 0) {
    throw new MachineError(
      `cannot compile the machine driver's process module (gcc: ${r.out.trim().slice(0, 400) || 'not found'})`,
      'Machine mode needs gcc and the Lua 5.4 headers: `pnpm machine build` installs them (apt-get install gcc liblua5.4-dev)',
    );
  }
  try {
    renameSync(tmp, moduleDir);
  } catch {
    // another process compiled it first: theirs is the same
  }
  return moduleDir;
}

export interface DriverOptions {
  /** The emulator's Lua folder: cartesi.so and its Lua modules. */
  luaDir: string;
  /** Where tt_process.so is (processModule). */
  moduleDir: string;
  /** A request running longer than this stops with the status cycle-limit. */
  maxCyclesPerRequest: number;
  /** Every line of the machine's console. */
  onConsole: (line: string) => void;
  /** The driver process ended (on its own or by stop()). */
  onExit: (why: string) => void;
}

export class MachineDriver {
  private current: {
    resolve: (r: { hash: string; lines: AnswerLine[] }) => void;
    reject: (e: Error) => void;
    lines: AnswerLine[];
    onLine?: (l: AnswerLine) => void;
  } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private gone: string | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly commands: Writable,
    private readonly o: DriverOptions,
  ) {}

  static start(o: DriverOptions): MachineDriver {
    const child = spawn('lua5.4', [DRIVER, String(o.maxCyclesPerRequest)], {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        LUA_PATH_5_4: `${o.luaDir}/?.lua;;`,
        LUA_CPATH_5_4: `${o.luaDir}/?.so;${o.moduleDir}/?.so;;`,
      },
    });
    const driver = new MachineDriver(child, child.stdin!, o);
    child.stdin!.on('error', () => undefined); // a dead driver: reported by its answers closing
    for (const stream of [child.stdout!, child.stderr!]) {
      // the console ends lines with \r\n and the CLI's init prints blank lines: only lines with something in them
      createInterface({ input: stream }).on('line', (l) => {
        const line = l.trimEnd();
        if (line) o.onConsole(line);
      });
    }
    const answers = child.stdio[3] as Readable;
    createInterface({ input: answers, crlfDelay: Infinity }).on('line', (l) => driver.answer(l));
    // the answers close when every process of the driver (the live one and a worker) is gone; the first process
    // exits on its own whenever an accepted input hands the machine over to its worker
    answers.on('close', () => driver.ended('the machine driver exited'));
    child.on('error', (e) =>
      driver.ended(
        `cannot start lua5.4 (${e.message}); machine mode needs the emulator built by \`pnpm machine build\``,
      ),
    );
    return driver;
  }

  get alive(): boolean {
    return this.gone === null;
  }

  /**
   * Sends one command; resolves with the live machine's root hash after it and the answer lines before `done`, or
   * rejects with the driver's `error`, or DriverGoneError. Commands run one after another.
   */
  command(line: string, onLine?: (l: AnswerLine) => void): Promise<{ hash: string; lines: AnswerLine[] }> {
    const next = this.queue.then(
      () =>
        new Promise<{ hash: string; lines: AnswerLine[] }>((resolve, reject) => {
          if (this.gone) return reject(new DriverGoneError(this.gone));
          this.current = { resolve, reject, lines: [], onLine };
          this.commands.write(`${line}\n`);
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private answer(line: string) {
    const cur = this.current;
    const space = line.indexOf(' ');
    const l =
      space < 0 ? { kind: line, rest: '' } : { kind: line.slice(0, space), rest: line.slice(space + 1) };
    if (!cur) return; // nothing asked: a worker that outlived its command (it is being stopped)
    if (l.kind === 'done') {
      this.current = null;
      cur.resolve({ hash: `0x${l.rest}`, lines: cur.lines });
    } else if (l.kind === 'error') {
      this.current = null;
      cur.reject(new MachineError(`the machine driver: ${l.rest}`, 'Read the node log above'));
    } else {
      cur.lines.push(l);
      cur.onLine?.(l);
    }
  }

  private ended(why: string) {
    if (this.gone) return;
    this.gone = why;
    const cur = this.current;
    this.current = null;
    cur?.reject(new DriverGoneError(why));
    this.o.onExit(why);
  }

  /** Ends the driver and any worker it forked (their process group), then waits for its answers to close. */
  async stop(): Promise<void> {
    if (this.gone) return;
    const closed = new Promise<void>((r) => (this.child.stdio[3] as Readable).once('close', () => r()));
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.ended('the machine driver was stopped');
    await closed;
  }
}

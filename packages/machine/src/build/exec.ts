// Runs the build's commands: output to a log file (a kernel build prints thousands of lines), and on failure an
// error that names the step and quotes the log's last lines.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { MachineError } from './errors.ts';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Appended to (created if missing). */
  log: string;
  /** What to tell the user when the command fails. */
  next: string;
  input?: string;
}

export function exec(step: string, cmd: string, args: string[], o: ExecOptions): Promise<void> {
  const fd = openSync(o.log, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: { ...process.env, ...o.env },
      stdio: [o.input === undefined ? 'ignore' : 'pipe', fd, fd],
    });
    if (o.input !== undefined) child.stdin!.end(o.input);
    child.on('error', (err) => {
      closeSync(fd);
      reject(
        new MachineError(
          step,
          `cannot run ${cmd} (${(err as NodeJS.ErrnoException).code ?? err.message})`,
          o.next,
        ),
      );
    });
    child.on('exit', (code, signal) => {
      closeSync(fd);
      if (code === 0) return resolve();
      const tail = readFileSync(o.log, 'utf8').trimEnd().split('\n').slice(-15).join('\n  ');
      reject(
        new MachineError(
          step,
          `\`${[cmd, ...args].join(' ').slice(0, 200)}\` failed (${signal ?? `exit code ${code}`}); its last lines:\n  ${tail}\n`,
          o.next,
          o.log,
        ),
      );
    });
  });
}

/** Runs a command and returns its stdout (short commands: version queries and the like). */
export function capture(
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve({ code: -1, out, err: e.message }));
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

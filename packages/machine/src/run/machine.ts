// Runs a command in the machine with the emulator's Lua CLI: boot, the command as the entrypoint, halt. Data goes
// in and out on flash drives; the CLI prints the console, the cycle count and (optionally) the root hashes.
import { spawn } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { luaEnv } from '../build/emulator.ts';
import { MachineError } from '../build/errors.ts';
import type { MachineImage } from '../build/index.ts';

export interface Drive {
  label: string;
  file: string;
  /** changes the machine makes are written back to the file (output drives) */
  shared?: boolean;
  /** mount the drive's file system at /mnt/<label> (ext2 drives); raw drives are /dev/pmemN */
  mount?: boolean;
  /** owner of /dev/pmemN (raw) or the mount point */
  user?: string;
}

export interface RunOptions {
  image: MachineImage;
  /** a shell command line, run by init as `user` */
  command: string;
  user?: 'dapp' | 'root';
  drives?: Drive[];
  /** the run stops with an error past this many cycles */
  maxMcycle: number;
  ramMiB?: number;
  /** print the root hash before and after (the CLI's --initial-hash --final-hash) */
  hashes?: boolean;
  /** every console line, as it comes */
  onLine?: (line: string) => void;
}

export interface RunResult {
  cycles: number;
  /** the command's exit code, carried out of the machine by tt-halt */
  exitCode: number;
  console: string;
  initialHash?: string;
  finalHash?: string;
  wallMs: number;
}

/** The device a drive appears as inside the machine: root is pmem0, then the drives in order. */
export function deviceOf(drives: readonly Drive[], label: string): string {
  const i = drives.findIndex((d) => d.label === label);
  if (i < 0) throw new Error(`no drive labelled ${label}`);
  return `/dev/pmem${i + 1}`;
}

/** A zero-filled raw drive file of at least `bytes` (rounded up to the 4 KiB flash drives need). */
export function blankDrive(file: string, bytes: number): string {
  const fd = openSync(file, 'w');
  ftruncateSync(fd, Math.ceil(bytes / 4096) * 4096);
  closeSync(fd);
  return file;
}

function driveOption(d: Drive): string {
  const parts = [`label:${d.label}`, `filename:${d.file}`];
  if (d.shared) parts.push('shared');
  if (d.mount === false) parts.push('mount:false');
  if (d.user) parts.push(`user:${d.user}`);
  return `--flash-drive=${parts.join(',')}`;
}

export function runMachine(o: RunOptions): Promise<RunResult> {
  for (const d of o.drives ?? []) {
    const size = statSync(d.file).size;
    if (size === 0 || size % 4096 !== 0) {
      throw new MachineError(
        'run',
        `drive ${d.label} (${d.file}) is ${size} bytes`,
        'A flash drive must be a non-empty multiple of 4 KiB: make it with blankDrive() or mke2fs',
      );
    }
  }
  const args = [
    join(o.image.emulatorDir, 'lua', 'cartesi-machine.lua'),
    `--ram-length=${o.ramMiB ?? 512}Mi`,
    `--ram-image=${o.image.linuxBin}`,
    `--flash-drive=label:root,filename:${o.image.rootfs}`,
    ...(o.drives ?? []).map(driveOption),
    `--max-mcycle=${o.maxMcycle}`,
    ...(o.user === 'root' ? ['--append-init=USER=root'] : []),
    ...(o.hashes ? ['--initial-hash', '--final-hash'] : []),
    '--',
    o.command,
  ];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('lua5.4', args, {
      env: { ...process.env, ...luaEnv(o.image.emulatorDir) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    let pending = '';
    const take = (d: Buffer) => {
      const s = d.toString('utf8');
      text += s;
      pending += s;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop()!;
      for (const l of lines) o.onLine?.(l);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) =>
      reject(
        new MachineError(
          'run',
          `cannot start lua5.4 (${e.message})`,
          'Run `pnpm machine build` first: it installs lua5.4',
        ),
      ),
    );
    child.on('exit', (code) => {
      if (pending) o.onLine?.(pending);
      const hashLines = [...text.matchAll(/^(\d+): ([0-9a-f]{64})$/gm)];
      const hashes = hashLines.map((m) => m[2]!);
      const cyclesAll = [...text.matchAll(/^Cycles: (\d+)/gm)];
      const cycles = cyclesAll.length
        ? Number(cyclesAll.at(-1)![1])
        : hashLines.length
          ? Number(hashLines.at(-1)![1])
          : NaN;
      const halted = /^Halted/m.test(text);
      if (!halted) {
        // the CLI's loop ends only on a halt, a yield (none without rollup options) or the limit, and at the limit
        // it prints nothing but the final hash (when asked for)
        if (code === 0 && (!Number.isFinite(cycles) || cycles >= o.maxMcycle)) {
          return reject(
            new MachineError(
              'run',
              `the machine ran past its cycle limit (${o.maxMcycle.toLocaleString('en')} cycles) without finishing \`${o.command.slice(0, 120)}\``,
              'Give it less work (fewer steps, a smaller model) or raise the limit (maxMcycle; TT_MACHINE_MAX_MCYCLE for pnpm test:vm and bench:vm)',
            ),
          );
        }
        return reject(
          new MachineError(
            'run',
            `the emulator stopped without the machine halting (exit code ${code}); its output:\n${text.slice(-3000)}`,
            'Read the output above; rebuild with `pnpm machine build` if the image is damaged',
          ),
        );
      }
      const payload = /^Halted with payload: (\d+)/m.exec(text);
      resolve({
        cycles,
        exitCode: payload ? Number(payload[1]) : 0,
        console: text,
        initialHash: o.hashes ? hashes[0] : undefined,
        finalHash: hashes.at(-1),
        wallMs: Date.now() - started,
      });
    });
  });
}

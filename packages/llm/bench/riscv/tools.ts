// The tools bench:riscv needs, installed from Debian's archive into <repo>/.cache/riscv-bench (never system-wide,
// except the riscv64 cross compiler, which apt installs when it is missing):
//   qemu/        qemu-user (bookworm) and the two libraries it links that a plain machine lacks, unpacked with dpkg-deb
//   node-root/   Debian trixie's riscv64 `nodejs` and its libraries, fetched with a private apt configuration
//   icount.so    our QEMU plugin that counts executed guest instructions (icount.c)
// Each piece is built in a temporary folder and renamed into place when complete, so a half-made piece is never
// reused; a second run finds them all and takes seconds.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../src/paths.ts';

export const cacheDir = join(repoRoot(), '.cache', 'riscv-bench');
const here = dirname(fileURLToPath(import.meta.url));

export interface Tools {
  qemu: string;
  /** LD_LIBRARY_PATH for qemu's own libraries. */
  qemuLibs: string;
  /** A riscv64 root with /usr/bin/node, for qemu's -L. */
  nodeRoot: string;
  plugin: string;
  crossGcc: string;
}

export class SetupError extends Error {
  constructor(step: string, detail: string) {
    super(`bench:riscv could not ${step}: ${detail}`);
  }
}

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function tryRun(step: string, cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  try {
    return run(cmd, args, opts);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new SetupError(step, (err.stderr || err.message).trim().split('\n').slice(-3).join(' | '));
  }
}

/** Builds a cache entry in `<name>.tmp` and renames it to `<name>` once `make` returned: all or nothing. */
function cached(name: string, make: (tmp: string) => void): string {
  const dest = join(cacheDir, name);
  if (existsSync(dest)) return dest;
  const tmp = `${dest}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  make(tmp);
  renameSync(tmp, dest);
  return dest;
}

function unpackAll(debDir: string, into: string): void {
  mkdirSync(into, { recursive: true });
  for (const f of readdirSync(debDir).filter((n) => n.endsWith('.deb')))
    tryRun(`unpack ${f}`, 'dpkg-deb', ['-x', join(debDir, f), into]);
}

/** apt-get download into dir; on a machine whose package lists are empty or old, updates them once and retries. */
function aptDownload(dir: string, pkgs: string[]): void {
  try {
    run('apt-get', ['download', ...pkgs], { cwd: dir });
  } catch {
    tryRun('update the apt package lists (run as root)', 'apt-get', ['update']);
    tryRun(`download ${pkgs.join(' ')} from Debian`, 'apt-get', ['download', ...pkgs], { cwd: dir });
  }
}

function ensureQemu(log: (s: string) => void): { qemu: string; libs: string } {
  const dir = cached('qemu', (tmp) => {
    log('bench:riscv: fetching qemu-user from Debian…');
    const debs = join(tmp, 'debs');
    mkdirSync(debs);
    aptDownload(debs, ['qemu-user', 'libcapstone4', 'liburing2']);
    unpackAll(debs, join(tmp, 'root'));
    rmSync(debs, { recursive: true });
  });
  return {
    qemu: join(dir, 'root/usr/bin/qemu-riscv64'),
    libs: join(dir, 'root/usr/lib/x86_64-linux-gnu'),
  };
}

/**
 * riscv64 Node from Debian trixie through a private apt configuration: its own sources, lists, cache and an empty
 * status file (apt-cache/dpkg of the host are untouched), then every .deb unpacked into one root.
 */
function ensureNodeRoot(log: (s: string) => void): string {
  return cached('node-root', (root) => {
    log('bench:riscv: fetching Debian trixie riscv64 nodejs and its libraries…');
    const apt = join(cacheDir, 'apt-trixie-riscv64');
    for (const d of ['etc', 'state/lists/partial', 'cache/archives/partial'])
      mkdirSync(join(apt, d), { recursive: true });
    writeFileSync(
      join(apt, 'etc/sources.list'),
      'deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n',
    );
    writeFileSync(join(apt, 'state/status'), '');
    const opts = [
      ['Dir::Etc::SourceList', join(apt, 'etc/sources.list')],
      ['Dir::Etc::SourceParts', '/nonexistent'],
      ['Dir::State', join(apt, 'state')],
      ['Dir::State::status', join(apt, 'state/status')],
      ['Dir::Cache', join(apt, 'cache')],
      ['APT::Architecture', 'riscv64'],
      ['APT::Architectures', 'riscv64'],
      ['Debug::NoLocking', '1'],
    ].flatMap(([k, v]) => ['-o', `${k}=${v}`]);
    tryRun('update the private trixie riscv64 package list', 'apt-get', [...opts, 'update']);
    tryRun('download trixie riscv64 nodejs', 'apt-get', [
      ...opts,
      'install',
      '--download-only',
      '-y',
      '--no-install-recommends',
      'nodejs',
    ]);
    unpackAll(join(apt, 'cache/archives'), root);
    // trixie is merged-/usr: the dynamic loader is looked up as /lib/ld-linux-riscv64-lp64d.so.1.
    symlinkSync('usr/lib', join(root, 'lib'));
  });
}

function ensurePlugin(): string {
  const src = join(here, 'icount.c');
  const key = createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 12);
  const dir = cached(`icount-${key}`, (tmp) => {
    tryRun('build the instruction-count plugin (needs gcc)', 'gcc', [
      '-O2',
      '-shared',
      '-fPIC',
      '-Wall',
      '-o',
      join(tmp, 'icount.so'),
      src,
    ]);
  });
  return join(dir, 'icount.so');
}

function ensureCrossGcc(log: (s: string) => void): string {
  const gcc = 'riscv64-linux-gnu-gcc';
  try {
    run(gcc, ['--version']);
  } catch {
    log('bench:riscv: installing gcc-riscv64-linux-gnu from Debian…');
    try {
      run('apt-get', [
        'install',
        '-y',
        '--no-install-recommends',
        'gcc-riscv64-linux-gnu',
        'libc6-dev-riscv64-cross',
      ]);
    } catch {
      tryRun('update the apt package lists (run as root)', 'apt-get', ['update']);
      tryRun('install gcc-riscv64-linux-gnu (run as root, or install it yourself)', 'apt-get', [
        'install',
        '-y',
        '--no-install-recommends',
        'gcc-riscv64-linux-gnu',
        'libc6-dev-riscv64-cross',
      ]);
    }
  }
  return gcc;
}

export function ensureTools(log: (s: string) => void): Tools {
  mkdirSync(cacheDir, { recursive: true });
  const { qemu, libs } = ensureQemu(log);
  return {
    qemu,
    qemuLibs: libs,
    nodeRoot: ensureNodeRoot(log),
    plugin: ensurePlugin(),
    crossGcc: ensureCrossGcc(log),
  };
}

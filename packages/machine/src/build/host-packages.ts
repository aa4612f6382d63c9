// The Debian packages the build needs on the host, installed with apt when missing (the machines here are Debian 12
// and the build runs as root, like CI).
import { capture } from './exec.ts';
import { MachineError } from './errors.ts';

/** What each build step needs from Debian. */
export const HOST_PACKAGES = {
  emulator: [
    'g++',
    'make',
    'pkg-config',
    'lua5.4',
    'liblua5.4-dev',
    'libslirp-dev',
    'xxd',
    'gcc-riscv64-linux-gnu',
    'g++-riscv64-linux-gnu',
  ],
  kernel: ['linux-source-6.1', 'gcc-riscv64-linux-gnu', 'make', 'flex', 'bison', 'bc', 'patch', 'xz-utils'],
  firmware: ['gcc-riscv64-linux-gnu', 'make'],
  guestTools: ['gcc-riscv64-linux-gnu', 'libc6-dev-riscv64-cross', 'binutils-riscv64-linux-gnu'],
  rootfs: ['e2fsprogs', 'dpkg'],
} as const;

export async function missingPackages(pkgs: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of pkgs) {
    const r = await capture('dpkg-query', ['-W', '-f=${Status}', p]);
    if (r.code !== 0 || !r.out.includes('install ok installed')) missing.push(p);
  }
  return missing;
}

export interface EnsureOptions {
  log?: (line: string) => void;
  /** Run `apt-get update` and try again when a package is not found (default true). */
  update?: boolean;
}

/** Installs whichever of `pkgs` is missing; throws a MachineError naming the step and the packages when it cannot. */
export async function ensureHostPackages(
  step: string,
  pkgs: readonly string[],
  o: EnsureOptions = {},
): Promise<void> {
  const missing = await missingPackages([...new Set(pkgs)]);
  if (missing.length === 0) return;
  const by = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new MachineError(
      step,
      `Debian package(s) ${missing.join(', ')} are missing and this is not root`,
      `Install them: sudo ${by}`,
    );
  }
  o.log?.(`machine ${step}: installing ${missing.join(' ')} from Debian`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  let r = await capture('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], env);
  if (r.code !== 0 && o.update !== false) {
    // the package lists may be old or missing (a new machine): refresh once
    await capture('apt-get', ['update', '-qq'], env);
    r = await capture('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], env);
  }
  if (r.code !== 0) {
    const why = (r.err || r.out)
      .trim()
      .split('\n')
      .filter((l) => /^E:|Unable|not found|no installation candidate/i.test(l))
      .join('; ');
    throw new MachineError(
      step,
      `cannot install the Debian package(s) ${missing.join(', ')}: ${why || `apt-get exited with ${r.code}`}`,
      `Check that apt reaches the Debian archive (\`apt-get update\`), then install them by hand: ${by}`,
    );
  }
}

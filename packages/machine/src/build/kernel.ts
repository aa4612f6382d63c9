// Our Linux kernel for the machine: Debian's linux-source-6.1, allnoconfig plus kernel/cartesi.config, with the Sv39
// fix (kernel/sv39.patch), wrapped in Cartesi's OpenSBI as linux.bin. Not Cartesi's kernel (that fork cannot be
// brought here): there is no /dev/rollup driver, and root hashes differ from the Cartesi CLI's images.
import { copyFileSync, existsSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { packageDir } from '../paths.ts';
import { cachedStep, contentKey, fileHash, type StepResult } from './cache.ts';
import { KBUILD_BUILD_TIMESTAMP, SOURCE_DATE_EPOCH, type BuildContext } from './context.ts';
import { capture, exec } from './exec.ts';
import { MachineError } from './errors.ts';
import { HOST_PACKAGES, ensureHostPackages } from './host-packages.ts';
import { VENDOR, vendorFile } from './vendor.ts';

export const KERNEL_CONFIG = join(packageDir, 'kernel', 'cartesi.config');
export const SV39_PATCH = join(packageDir, 'kernel', 'sv39.patch');
const SOURCE_TARBALL = '/usr/src/linux-source-6.1.tar.xz';
const RECIPE = 'kernel-recipe-1';

async function version(pkg: string): Promise<string> {
  return (await capture('dpkg-query', ['-W', '-f=${Version}', pkg])).out.trim();
}

/** The CONFIG_ lines of the fragment that the final .config must contain verbatim (Kconfig drops what it cannot set). */
export function requiredConfig(fragment: string): string[] {
  return fragment.split('\n').filter((l) => /^CONFIG_\w+=/.test(l) || /^# CONFIG_\w+ is not set$/.test(l));
}

const kbuildEnv = {
  ARCH: 'riscv',
  CROSS_COMPILE: 'riscv64-linux-gnu-',
  KBUILD_BUILD_TIMESTAMP,
  KBUILD_BUILD_USER: 'tt',
  KBUILD_BUILD_HOST: 'tt',
  KBUILD_BUILD_VERSION: '1',
  SOURCE_DATE_EPOCH,
};

export async function buildKernel(ctx: BuildContext): Promise<StepResult> {
  await ensureHostPackages('kernel', HOST_PACKAGES.kernel, { log: ctx.log });
  if (!existsSync(SOURCE_TARBALL)) {
    throw new MachineError(
      'kernel',
      `${SOURCE_TARBALL} is missing although linux-source-6.1 is installed`,
      'Reinstall it: apt-get install --reinstall linux-source-6.1',
    );
  }
  const key = contentKey({
    RECIPE,
    source: await version('linux-source-6.1'),
    gcc: await version('gcc-12-riscv64-linux-gnu'),
    config: readFileSync(KERNEL_CONFIG),
    patch: readFileSync(SV39_PATCH),
  });
  return cachedStep(ctx.cache, 'kernel', key, async (out) => {
    const log = join(out, 'build.log');
    const next =
      'The kernel did not build: read the log (a changed kernel/cartesi.config or a new linux-source-6.1 are the usual causes); ' +
      'fix it and run `pnpm machine build` again';
    ctx.log(`machine kernel: building Linux 6.1 for riscv64 (several minutes on 2 cores; log: ${log})`);
    await exec('kernel', 'tar', ['xJf', SOURCE_TARBALL, '-C', out], { log, next });
    const src = join(
      out,
      readdirSync(out).find((d) => d.startsWith('linux-source'))!,
    );
    await exec('kernel', 'patch', ['-p1', '--forward', '-i', SV39_PATCH], {
      cwd: src,
      log,
      next: 'kernel/sv39.patch no longer applies to this linux-source-6.1: update the patch',
    });
    await exec('kernel', 'make', ['allnoconfig'], {
      cwd: src,
      env: { ...kbuildEnv, KCONFIG_ALLCONFIG: KERNEL_CONFIG },
      log,
      next,
    });
    const config = readFileSync(join(src, '.config'), 'utf8').split('\n');
    const dropped = requiredConfig(readFileSync(KERNEL_CONFIG, 'utf8')).filter((l) => !config.includes(l));
    if (dropped.length > 0) {
      throw new MachineError(
        'kernel',
        `Kconfig did not keep ${dropped.join(', ')} (a dependency is missing from the fragment)`,
        `Add the option it depends on to ${KERNEL_CONFIG}`,
        log,
      );
    }
    await exec('kernel', 'make', [`-j${cpus().length}`, 'Image'], { cwd: src, env: kbuildEnv, log, next });
    copyFileSync(join(src, 'arch/riscv/boot/Image'), join(out, 'Image'));
    copyFileSync(join(src, '.config'), join(out, 'config'));
    await exec('kernel', 'rm', ['-rf', src], { log, next });
  });
}

/** linux.bin: Cartesi's OpenSBI with the kernel as its payload, the machine's --ram-image. */
export async function buildFirmware(ctx: BuildContext, kernel: StepResult): Promise<StepResult> {
  await ensureHostPackages('firmware', HOST_PACKAGES.firmware, { log: ctx.log });
  const archive = vendorFile('opensbi');
  const key = contentKey({
    RECIPE,
    opensbi: VENDOR.opensbi.sha256,
    kernel: fileHash(join(kernel.dir, 'Image')),
  });
  return cachedStep(ctx.cache, 'firmware', key, async (out) => {
    const log = join(out, 'build.log');
    const next = 'OpenSBI did not build: read the log, fix it and run `pnpm machine build` again';
    ctx.log("machine firmware: wrapping the kernel in Cartesi's OpenSBI (linux.bin)");
    const work = join(out, 'work');
    mkdirSync(work);
    await exec('firmware', 'tar', ['xzf', archive, '-C', work], { log, next });
    const src = join(work, VENDOR.opensbi.dir);
    await exec(
      'firmware',
      'make',
      [
        `-j${cpus().length}`,
        'PLATFORM=cartesi',
        'CROSS_COMPILE=riscv64-linux-gnu-',
        'FW_PAYLOAD=y',
        'FW_OPTIONS=0x01',
        `FW_PAYLOAD_PATH=${join(kernel.dir, 'Image')}`,
      ],
      { cwd: src, env: { SOURCE_DATE_EPOCH }, log, next },
    );
    copyFileSync(join(src, 'build/platform/cartesi/firmware/fw_payload.bin'), join(out, 'linux.bin'));
    await exec('firmware', 'rm', ['-rf', work], { log, next });
  });
}

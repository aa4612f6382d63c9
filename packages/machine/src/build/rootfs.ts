// The root filesystem: Debian trixie riscv64 packages (nodejs and its libraries, busybox-static) unpacked without
// running their scripts, our init and tools, and the backend bundle (dapp/dist: backend.mjs and the engine's .wasm)
// with the engine's own program. Ours, not the Cartesi CLI's image: root hashes differ from its.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { packageDir, repoRoot } from '../paths.ts';
import { cachedStep, contentKey, fileHash, treeHash, type StepResult } from './cache.ts';
import type { BuildContext } from './context.ts';
import { exec } from './exec.ts';
import { MachineError } from './errors.ts';
import { ext2SizeFor, makeExt2 } from './ext2.ts';
import { HOST_PACKAGES, ensureHostPackages } from './host-packages.ts';

const INIT = join(packageDir, 'guest', 'init.sh');
const RECIPE = 'rootfs-recipe-3';
/** Where our files live inside the machine. */
export const GUEST_APP_DIR = '/opt/tt';
export const DAPP_USER = { name: 'dapp', uid: 1000 };

export function dappDist(): string {
  return join(repoRoot(), 'dapp', 'dist');
}

export async function buildRootfs(
  ctx: BuildContext,
  debs: StepResult,
  tools: StepResult,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StepResult> {
  await ensureHostPackages('root filesystem', HOST_PACKAGES.rootfs, { log: ctx.log });
  const dist = dappDist();
  if (!existsSync(join(dist, 'backend.mjs')) || !existsSync(join(dist, 'llm-scalar.wasm'))) {
    throw new MachineError(
      'root filesystem',
      `the backend bundle is missing from ${dist}`,
      'Build it first: pnpm build (or pnpm --filter @tt/dapp build)',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new MachineError(
      'root filesystem',
      "this is not root, so the image's files cannot be owned by root",
      'Run `pnpm machine build` as root (CI and these machines do)',
    );
  }
  const sizeOverride = env.TT_MACHINE_ROOTFS_MIB ? Number(env.TT_MACHINE_ROOTFS_MIB) * 1048576 : undefined;
  const key = contentKey({
    RECIPE,
    debs: readFileSync(join(debs.dir, 'manifest.txt')),
    tools: tools.key,
    init: readFileSync(INIT),
    dist: treeHash(dist),
    size: String(sizeOverride ?? 'auto'),
  });
  return cachedStep(ctx.cache, 'rootfs', key, async (out) => {
    const log = join(out, 'build.log');
    const root = join(out, 'root');
    const next =
      'The root filesystem could not be assembled: read the log, fix it and run `pnpm machine build` again';
    ctx.log('machine root filesystem: unpacking the riscv64 packages and adding the backend bundle');
    mkdirSync(root);
    // merged /usr, as Debian trixie: the ELF interpreter is /lib/ld-linux-riscv64-lp64d.so.1
    mkdirSync(join(root, 'usr', 'lib'), { recursive: true });
    for (const d of ['bin', 'sbin', 'lib']) {
      mkdirSync(join(root, 'usr', d), { recursive: true });
      symlinkSync(`usr/${d}`, join(root, d));
    }
    for (const deb of readdirSync(join(debs.dir, 'debs')).sort()) {
      await exec('root filesystem', 'dpkg-deb', ['-x', join(debs.dir, 'debs', deb), root], { log, next });
    }
    for (const d of ['usr/share/doc', 'usr/share/man', 'usr/share/lintian', 'usr/share/locale'])
      rmSync(join(root, d), { recursive: true, force: true });
    for (const d of ['dev', 'proc', 'sys', 'tmp', 'run', 'mnt', 'root', 'etc', `home/${DAPP_USER.name}`])
      mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    symlinkSync('busybox', join(root, 'usr/bin/sh'));
    writeFileSync(
      join(root, 'etc/passwd'),
      `root:x:0:0:root:/root:/bin/sh\n${DAPP_USER.name}:x:${DAPP_USER.uid}:${DAPP_USER.uid}:dapp:/home/${DAPP_USER.name}:/bin/sh\n`,
    );
    writeFileSync(join(root, 'etc/group'), `root:x:0:\n${DAPP_USER.name}:x:${DAPP_USER.uid}:\n`);
    writeFileSync(join(root, 'etc/hostname'), 'cartesi\n');
    copyFileSync(INIT, join(root, 'usr/sbin/cartesi-init'));
    chmodSync(join(root, 'usr/sbin/cartesi-init'), 0o755);
    for (const f of readdirSync(tools.dir).filter((f) => f.startsWith('tt-') && !f.endsWith('.mjs'))) {
      copyFileSync(join(tools.dir, f), join(root, 'usr/sbin', f));
      chmodSync(join(root, 'usr/sbin', f), 0o755);
    }
    const app = join(root, GUEST_APP_DIR);
    mkdirSync(app, { recursive: true });
    for (const f of readdirSync(dist)) copyFileSync(join(dist, f), join(app, f));
    for (const f of ['tt-engine.mjs', 'llm-train-scalar.wasm'])
      copyFileSync(join(tools.dir, f), join(app, f));
    await exec(
      'root filesystem',
      'chown',
      ['-R', `${DAPP_USER.uid}:${DAPP_USER.uid}`, join(root, 'home', DAPP_USER.name)],
      { log, next },
    );
    const size = sizeOverride ?? ext2SizeFor(root);
    await makeExt2(root, join(out, 'rootfs.ext2'), {
      step: 'root filesystem',
      label: 'root',
      size,
      log,
      sizeHint: 'Unset TT_MACHINE_ROOTFS_MIB (the size is then computed from the files) or raise it',
    });
    rmSync(root, { recursive: true, force: true });
    writeFileSync(join(out, 'rootfs.sha256'), `${fileHash(join(out, 'rootfs.ext2'))}\n`);
  });
}

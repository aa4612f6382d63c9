// The Cartesi machine emulator v0.16.1 (the last with the Rollups v1 `/dev/rollup` device-tree node): cartesi.so and
// the Lua CLI, built from the vendored source with Debian's compilers.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { packageDir } from '../paths.ts';
import { contentKey, fileHash, type StepResult, cachedStep } from './cache.ts';
import { capture, exec } from './exec.ts';
import { MachineError } from './errors.ts';
import { HOST_PACKAGES, ensureHostPackages } from './host-packages.ts';
import { VENDOR, vendorFile } from './vendor.ts';
import type { BuildContext } from './context.ts';

const UARCH_LIBGCC = join(packageDir, 'emulator', 'uarch-libgcc.c');
const RECIPE = 'emulator-recipe-1';

/** Boost headers 1.81 (Debian 12 installs 1.74, too old for the emulator): unpacked from the .deb, nothing installed. */
async function boostHeaders(ctx: BuildContext): Promise<StepResult> {
  const pkg = 'libboost1.81-dev';
  return cachedStep(ctx.cache, 'boost', contentKey({ pkg }), async (tmp) => {
    const log = join(tmp, 'build.log');
    const next = `Check that apt reaches the Debian archive (\`apt-get update\`); \`apt-get download ${pkg}\` must work`;
    await exec('boost headers', 'apt-get', ['download', pkg], { cwd: tmp, log, next });
    const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
    if (!deb) throw new MachineError('boost headers', `apt-get download ${pkg} gave no .deb`, next);
    await exec('boost headers', 'dpkg-deb', ['-x', deb, 'x'], { cwd: tmp, log, next });
    await exec('boost headers', 'mv', ['x/usr/include', 'include'], { cwd: tmp, log, next });
    await exec('boost headers', 'rm', ['-rf', 'x', deb], { cwd: tmp, log, next });
  });
}

export async function buildEmulator(ctx: BuildContext): Promise<StepResult> {
  await ensureHostPackages('emulator', HOST_PACKAGES.emulator, { log: ctx.log });
  const archive = vendorFile('emulator');
  const json = vendorFile('json');
  const boost = await boostHeaders(ctx);
  const gxx = (await capture('g++', ['--version'])).out.split('\n')[0] ?? '';
  const key = contentKey({
    RECIPE,
    archive: VENDOR.emulator.sha256,
    json: VENDOR.json.sha256,
    boost: boost.key,
    libgcc: fileHash(UARCH_LIBGCC),
    gxx,
  });
  return cachedStep(ctx.cache, 'emulator', key, async (out) => {
    const log = join(out, 'build.log');
    const work = join(out, 'work');
    mkdirSync(work);
    ctx.log(`machine emulator: building cartesi.so and the Lua CLI v0.16.1 (a few minutes; log: ${log})`);
    const next =
      'The emulator did not build: read the log. It needs Debian 12 (g++ 12, liblua5.4-dev, libslirp-dev) and ' +
      'Boost 1.81 headers; fix the cause and run `pnpm machine build` again (a failed step is rebuilt from scratch)';
    const src = join(work, VENDOR.emulator.dir);
    await exec('emulator', 'tar', ['xzf', archive, '-C', work], { log, next });
    mkdirSync(join(src, 'third-party', 'downloads'), { recursive: true });
    // the build would download json.hpp; 3.11.3 from a later emulator release stands in for 3.11.2
    await exec(
      'emulator',
      'sh',
      ['-c', `gunzip -c '${json}' > '${join(src, 'third-party/downloads/json.hpp')}'`],
      { log, next },
    );
    // The microarchitecture image (uarch/) is built for rv64i with Debian's lp64d cross compiler: an empty
    // stubs-lp64.h lets glibc's headers through (uarch is freestanding), our own integer helpers replace the
    // soft-float libgcc Debian lacks, and printf's float support (the only user of soft-float) is compiled out.
    const stubs = join(work, 'stubs');
    mkdirSync(join(stubs, 'gnu'), { recursive: true });
    writeFileSync(
      join(stubs, 'gnu', 'stubs-lp64.h'),
      '/* rv64i lp64 freestanding: no glibc stubs needed */\n',
    );
    copyFileSync(UARCH_LIBGCC, join(src, 'uarch', 'uarch-libgcc.c'));
    const jobs = String(cpus().length);
    // __DATE__ and __TIME__ (the CLI's "build time") follow SOURCE_DATE_EPOCH, so two builds give the same cartesi.so
    const env = { SOURCE_DATE_EPOCH: '0', CPATH: stubs };
    const boostInc = join(boost.dir, 'include');
    await exec('emulator', 'make', ['-C', 'src', 'machine-c-version.h'], { cwd: src, env, log, next });
    await exec(
      'emulator',
      'make',
      [
        '-C',
        'uarch',
        `-j${jobs}`,
        'TOOLCHAIN_PREFIX=riscv64-linux-gnu-',
        'CC=riscv64-linux-gnu-gcc -DPRINTF_DISABLE_SUPPORT_FLOAT',
        'UARCH_SOURCES=uarch-printf.c uarch-run.cpp uarch-runtime.cpp uarch-libgcc.c',
        `BOOST_INC_DIR=${boostInc}`,
      ],
      { cwd: src, env, log, next },
    );
    await exec(
      'emulator',
      'make',
      ['-C', 'src', `-j${jobs}`, 'release=yes', `BOOST_INC=-I${boostInc}`, 'cartesi.so'],
      {
        cwd: src,
        env,
        log,
        next,
      },
    );
    // what the Lua CLI needs at run time: cartesi.so, the CLI and its Lua modules
    const bin = join(out, 'lua');
    mkdirSync(join(bin, 'cartesi'), { recursive: true });
    copyFileSync(join(src, 'src', 'cartesi.so'), join(bin, 'cartesi.so'));
    for (const f of readdirSync(join(src, 'src')).filter((f) => f.endsWith('.lua')))
      copyFileSync(join(src, 'src', f), join(bin, f));
    for (const f of readdirSync(join(src, 'src', 'cartesi')).filter((f) => f.endsWith('.lua')))
      copyFileSync(join(src, 'src', 'cartesi', f), join(bin, 'cartesi', f));
    await exec('emulator', 'rm', ['-rf', work], { log, next });
    const v = await capture('lua5.4', [join(bin, 'cartesi-machine.lua'), '--version'], luaEnv(out));
    if (v.code !== 0 || !v.out.includes('0.16.1')) {
      throw new MachineError('emulator', `the built CLI does not start: ${v.err || v.out}`, next, log);
    }
  });
}

/** LUA_PATH/LUA_CPATH for running the CLI from an emulator build folder. */
export function luaEnv(emulatorDir: string): NodeJS.ProcessEnv {
  const bin = join(emulatorDir, 'lua');
  return { LUA_PATH_5_4: `${bin}/?.lua;;`, LUA_CPATH_5_4: `${bin}/?.so;;` };
}

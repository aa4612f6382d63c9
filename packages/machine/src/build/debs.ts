// The root filesystem's Debian packages: trixie riscv64 .debs (nodejs with its libraries, busybox-static), resolved
// and downloaded with apt through a private configuration in the cache, so the host's own apt setup is untouched.
// The resolved list (names, versions, sha256) is the step's manifest; the root filesystem's key depends on it.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedStep, contentKey, fileHash, type StepResult } from './cache.ts';
import type { BuildContext } from './context.ts';
import { exec } from './exec.ts';
import { MachineError } from './errors.ts';

export const GUEST_PACKAGES = ['nodejs', 'busybox-static'];
const SUITE = 'trixie';
const MIRROR = 'http://deb.debian.org/debian';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const RECIPE = 'debs-recipe-1';

export async function downloadDebs(ctx: BuildContext): Promise<StepResult> {
  const key = contentKey({ RECIPE, packages: GUEST_PACKAGES.join(' '), SUITE, MIRROR });
  return cachedStep(ctx.cache, 'debs', key, async (out) => {
    const log = join(out, 'download.log');
    const apt = join(out, 'apt');
    for (const d of ['etc/parts', 'etc/preferences.d', 'state/lists/partial', 'cache/archives/partial'])
      mkdirSync(join(apt, d), { recursive: true });
    writeFileSync(join(apt, 'etc/sources.list'), `deb [signed-by=${KEYRING}] ${MIRROR} ${SUITE} main\n`);
    writeFileSync(join(apt, 'state/status'), '');
    const opts = [
      `Dir::Etc::SourceList=${apt}/etc/sources.list`,
      `Dir::Etc::SourceParts=${apt}/etc/parts`,
      `Dir::Etc::Preferences=${apt}/etc/preferences`,
      `Dir::Etc::PreferencesParts=${apt}/etc/preferences.d`,
      `Dir::State=${apt}/state`,
      `Dir::State::status=${apt}/state/status`,
      `Dir::Cache=${apt}/cache`,
      'APT::Architecture=riscv64',
      'APT::Architectures=riscv64',
      'APT::Install-Recommends=false',
      'Debug::NoLocking=true',
    ].flatMap((o) => ['-o', o]);
    const next =
      `Check that apt reaches the Debian archive (${SUITE} riscv64 at ${MIRROR}) and that ${KEYRING} exists ` +
      '(package debian-archive-keyring), then run `pnpm machine build` again';
    ctx.log(
      `machine packages: downloading Debian ${SUITE} riscv64 ${GUEST_PACKAGES.join(', ')} and their libraries`,
    );
    await exec('packages', 'apt-get', [...opts, '-qq', 'update'], { log, next });
    await exec(
      'packages',
      'apt-get',
      [...opts, '-y', '-qq', '--download-only', 'install', ...GUEST_PACKAGES],
      { log, next },
    );
    const archives = join(apt, 'cache/archives');
    const debs = readdirSync(archives)
      .filter((f) => f.endsWith('.deb'))
      .sort();
    if (!debs.some((d) => d.startsWith('nodejs_')))
      throw new MachineError('packages', 'apt downloaded no nodejs .deb', next, log);
    mkdirSync(join(out, 'debs'));
    const manifest: string[] = [];
    for (const d of debs) {
      await exec('packages', 'mv', [join(archives, d), join(out, 'debs', d)], { log, next });
      manifest.push(`${fileHash(join(out, 'debs', d))}  ${d}`);
    }
    writeFileSync(join(out, 'manifest.txt'), manifest.join('\n') + '\n');
    await exec('packages', 'rm', ['-rf', apt], { log, next });
  });
}

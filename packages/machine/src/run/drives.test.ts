import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MachineError } from '../build/errors.ts';
import { makeExt2 } from '../build/ext2.ts';
import { makeFilesDrive } from './drives.ts';

describe('data drives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-machine-drives-'));
  const model = join(dir, 'model.bin');
  writeFileSync(model, Buffer.alloc(3 * 1048576, 7));

  it('fits a drive to its files when no size is given', async () => {
    const image = await makeFilesDrive([model], { workDir: join(dir, 'a'), label: 'model' });
    expect(statSync(image).size % 4096).toBe(0);
    expect(statSync(image).size).toBeGreaterThan(3 * 1048576);
  });

  it('is reproducible: the same files staged at another time give the same image, and e2fsck finds it clean', async () => {
    const a = join(dir, 'same-a');
    mkdirSync(join(a, 'sub'), { recursive: true });
    writeFileSync(join(a, 'sub', 'f.txt'), 'same bytes');
    const o = { step: 'test drive', label: 'x', size: 8 << 20, log: join(dir, 'same.log'), sizeHint: '' };
    await makeExt2(a, join(dir, 'same-a.ext2'), o);
    await new Promise((r) => setTimeout(r, 1100)); // a later second: every clock-stamped time would differ
    cpSync(a, join(dir, 'same-b'), { recursive: true });
    await makeExt2(join(dir, 'same-b'), join(dir, 'same-b.ext2'), o);
    expect(readFileSync(join(dir, 'same-b.ext2')).equals(readFileSync(join(dir, 'same-a.ext2')))).toBe(true);
    execFileSync('e2fsck', ['-fn', join(dir, 'same-b.ext2')], { stdio: 'pipe' }); // throws on any inconsistency
  });

  it('a drive too small for the model stops with the step and what to do, before mke2fs', async () => {
    const err = await makeFilesDrive([model], {
      workDir: join(dir, 'b'),
      label: 'model',
      size: 2 * 1048576,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(MachineError);
    expect(err.message).toMatch(
      /^machine model drive: the model drive \(2\.0 MiB\) is too small for its files \(3\.\d MiB/,
    );
    expect(err.message).toMatch(/Give the model drive more room/);
  });

  it('a root filesystem too small for its files (TT_MACHINE_ROOTFS_MIB) says so and how to fix it', async () => {
    const err = await makeExt2(dir, join(dir, 'root.ext2'), {
      step: 'root filesystem',
      label: 'root',
      size: 1048576,
      log: join(dir, 'root.log'),
      sizeHint: 'Unset TT_MACHINE_ROOTFS_MIB or raise it',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(MachineError);
    expect(err.message).toMatch(/^machine root filesystem: the root filesystem \(1\.0 MiB\) is too small/);
    expect(err.message).toMatch(/TT_MACHINE_ROOTFS_MIB/);
  });
});

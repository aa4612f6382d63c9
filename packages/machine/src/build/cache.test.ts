import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedStep, contentKey } from './cache.ts';
import { MachineError } from './errors.ts';
import { exec } from './exec.ts';

describe('the build cache', () => {
  it('keys change with any input and not with their order', () => {
    const a = contentKey({ x: '1', y: new Uint8Array([1, 2]) });
    expect(contentKey({ y: new Uint8Array([1, 2]), x: '1' })).toBe(a);
    expect(contentKey({ x: '1', y: new Uint8Array([1, 3]) })).not.toBe(a);
    expect(contentKey({ x: '1y', y: new Uint8Array([]) })).not.toBe(
      contentKey({ x: '1', y: new Uint8Array([0x79]) }),
    );
  });

  it('a failed step leaves no folder under its final name, and the next run builds it afresh', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'tt-machine-cache-'));
    const err = await cachedStep(cache, 'kernel', 'k1', async (tmp) => {
      writeFileSync(join(tmp, 'half-built'), 'x');
      await exec('kernel', 'sh', ['-c', 'echo compiling; echo "error: boom" >&2; exit 3'], {
        log: join(tmp, 'build.log'),
        next: 'fix it and run `pnpm machine build` again',
      });
    }).catch((e) => e);
    expect(err).toBeInstanceOf(MachineError);
    expect(err.message).toMatch(/^machine kernel: `sh -c .*` failed \(exit code 3\); its last lines:/);
    expect(err.message).toMatch(/error: boom/);
    expect(err.message).toMatch(/full log: .*kernel-k1\.partial-\d+\/build\.log/);
    expect(err.message).toMatch(/fix it and run `pnpm machine build` again$/);
    expect(existsSync(join(cache, 'kernel-k1'))).toBe(false);

    // a "dead" build's partial folder (the pid is not running) is removed before the step is built again
    const dead = join(cache, 'kernel-k1.partial-999999999');
    mkdirSync(dead);
    writeFileSync(join(cache, 'kernel-k0'), 'an older key');
    let ran = 0;
    const r = await cachedStep(cache, 'kernel', 'k1', async (tmp) => {
      ran++;
      writeFileSync(join(tmp, 'Image'), 'kernel');
    });
    expect(r).toMatchObject({ built: true, dir: join(cache, 'kernel-k1') });
    expect(ran).toBe(1);
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(cache)).toEqual(['kernel-k1']); // the older key and every partial folder are gone
    expect(readdirSync(join(cache, 'kernel-k1'))).toEqual(['Image']);

    // and a complete one is reused
    const again = await cachedStep(cache, 'kernel', 'k1', async () => {
      throw new Error('must not rebuild');
    });
    expect(again.built).toBe(false);
  });
});

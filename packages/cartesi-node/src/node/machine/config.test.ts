// The config driver.lua boots, and the template key: laid out like the Cartesi CLI's, keyed by contents, not paths.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { luaString, machineConfig, shellWord, type MachineOptions } from './config.js';

function images(dir: string) {
  writeFileSync(join(dir, 'cartesi.so'), 'emulator');
  writeFileSync(join(dir, 'linux.bin'), 'ram image, any length');
  writeFileSync(join(dir, 'rootfs.ext2'), Buffer.alloc(8192, 1));
  writeFileSync(join(dir, 'model.ext2'), Buffer.alloc(4096, 2));
  return {
    emulatorLuaDir: dir,
    ramImage: join(dir, 'linux.bin'),
    rootfs: join(dir, 'rootfs.ext2'),
    drives: [{ label: 'model', file: join(dir, 'model.ext2') }],
    entrypoint: `/usr/sbin/tt-rollup-server ${shellWord("TT_MODEL_NAME='it''s' node /opt/tt/backend.mjs")}`,
    templatesDir: join(dir, 'templates'),
  } satisfies MachineOptions;
}

describe('machine config', () => {
  it('quotes Lua strings and shell words whatever they hold', () => {
    expect(luaString('a "b" \\ c\nd\u0001')).toBe('"a \\"b\\" \\\\ c\\nd\\001"');
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });

  it("lays the machine out as the Cartesi CLI does: flash drives from 0x80000000000000, the CLI's rollup ranges", async () => {
    const o = images(mkdtempSync(join(tmpdir(), 'tt-machine-config-')));
    const { lua } = await machineConfig(o);
    expect(lua).toContain('{ start = 0x80000000000000, length = 0x2000, image_filename = ');
    expect(lua).toContain('{ start = 0x90000000000000, length = 0x1000, image_filename = ');
    expect(lua).toContain('rx_buffer = { start = 0x60000000, length = 0x200000 }');
    expect(lua).toContain('input_metadata = { start = 0x60400000, length = 0x1000 }');
    expect(lua).toContain("busybox mount /dev/pmem1 '/mnt/model'");
    expect(lua).toContain('USER=root');
  });

  it('keys the template by contents: the same files elsewhere give the same key, one changed byte another', async () => {
    const a = images(mkdtempSync(join(tmpdir(), 'tt-machine-config-')));
    const bDir = mkdtempSync(join(tmpdir(), 'tt-machine-config-'));
    const b = images(bDir);
    expect((await machineConfig(b)).key).toBe((await machineConfig(a)).key);
    writeFileSync(join(bDir, 'model.ext2'), Buffer.alloc(4096, 3));
    expect((await machineConfig(b)).key).not.toBe((await machineConfig(a)).key);
    copyFileSync(a.drives[0]!.file, b.drives[0]!.file);
    expect((await machineConfig({ ...b, entrypoint: 'node other.mjs' })).key).not.toBe(
      (await machineConfig(a)).key,
    );
  });

  it('refuses a drive that is not whole 4 KiB pages, saying how to rebuild it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-machine-config-'));
    const o = images(dir);
    writeFileSync(o.rootfs, 'short');
    await expect(machineConfig(o)).rejects.toThrow(/not a non-empty multiple of 4 KiB.*pnpm machine build/);
  });
});

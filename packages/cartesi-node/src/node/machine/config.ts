// The machine machine mode runs, as the emulator's config (a Lua table for driver.lua's `boot`), laid out as the
// Cartesi CLI lays it out (flash drives from 0x80000000000000, one every 2^52; the v1 rollup memory ranges at the
// CLI's addresses), and the template key: a hash of everything the machine's first state depends on.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { MachineError } from './errors.js';

export interface MachineDrive {
  label: string;
  /** an image file, a non-empty multiple of 4 KiB (ext2 for a mounted drive) */
  file: string;
  /** where init mounts it; default /mnt/<label>; false: a raw drive (/dev/pmemN) */
  mount?: string | false;
}

/** What machine mode runs: the emulator, the machine's images, the command init runs, and where templates live. */
export interface MachineOptions {
  /** The emulator's Lua folder (cartesi.so and its Lua modules), e.g. from `pnpm machine build`. */
  emulatorLuaDir: string;
  /** The RAM image: OpenSBI with the kernel (linux.bin). */
  ramImage: string;
  /** Bytes of RAM; default 512 MiB. */
  ramLength?: number;
  /** The root file system (ext2), pmem0. */
  rootfs: string;
  /** More flash drives: pmem1, pmem2, … in this order. */
  drives?: MachineDrive[];
  /** The shell command line init runs (the machine's rollup server wrapping the backend, like rollup-init). */
  entrypoint: string;
  /** Who runs the entrypoint; default root (a rollup server needs it). */
  user?: string;
  /** Where templates are kept: one folder per template key, shared by every node on this host. */
  templatesDir: string;
  /** An input that runs longer stops with CYCLE_LIMIT_EXCEEDED and is rolled back. Default 2^44 (hours). */
  maxCyclesPerInput?: number;
  /** The work an input asks for, in any unit (an ETA is that times the cycles per unit seen so far), or null. */
  inputWork?: (payload: string) => number | null;
}

const FLASH_START = 0x80000000000000n;
const FLASH_STRIDE = 0x10000000000000n;
const ROLLUP = {
  rx_buffer: [0x60000000, 0x200000],
  tx_buffer: [0x60200000, 0x200000],
  input_metadata: [0x60400000, 0x1000],
  voucher_hashes: [0x60600000, 0x200000],
  notice_hashes: [0x60800000, 0x200000],
} as const;
const BOOTARGS =
  'quiet earlycon=sbi console=hvc0 rootfstype=ext2 root=/dev/pmem0 rw init=/usr/sbin/cartesi-init';
/** Changes whenever the layout below changes, so older templates are not taken for this one. */
const TEMPLATE_RECIPE = 'machine-template-1';

/** A Lua string literal: bytes pass through, quotes, backslashes and control characters are escaped. */
export function luaString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (c < 0x20 || c === 0x7f) out += `\\${String(c).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A shell word that stays one word whatever it holds: single quotes, and each ' written as '\''. */
export function shellWord(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function fileLength(file: string, what: string, pages = true): number {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new MachineError(
      `the ${what} ${file} does not exist`,
      'Build the machine with `pnpm machine build`',
    );
  }
  if (size === 0 || (pages && size % 4096 !== 0))
    throw new MachineError(
      `the ${what} ${file} is ${size} bytes, not a non-empty multiple of 4 KiB`,
      'Rebuild it with `pnpm machine build`',
    );
  return size;
}

/**
 * The emulator config as Lua source. `name` maps each image file to what the config names it: its path for the
 * config driver.lua boots, its sha256 for the template key (so the key follows contents, not paths).
 */
function configLua(o: MachineOptions, name: (file: string) => string): string {
  const drives = [{ label: 'root', file: o.rootfs, mount: false as const }, ...(o.drives ?? [])];
  const init = [`USER=${o.user ?? 'root'}`];
  drives.forEach((d, i) => {
    init.push(`busybox mkdir -p /run/drive-label && echo ${shellWord(d.label)} > /run/drive-label/pmem${i}`);
    if (i > 0 && d.mount !== false) {
      const at = shellWord(d.mount ?? `/mnt/${d.label}`);
      init.push(`busybox mkdir -p ${at} && busybox mount /dev/pmem${i} ${at}`);
    }
  });
  const flash = drives.map(
    (d, i) =>
      `    { start = 0x${(FLASH_START + BigInt(i) * FLASH_STRIDE).toString(16)}, length = 0x${fileLength(d.file, `flash drive ${d.label}`).toString(16)}, image_filename = ${luaString(name(d.file))}, shared = false },`,
  );
  const rollup = Object.entries(ROLLUP).map(
    ([k, [start, length]]) =>
      `    ${k} = { start = 0x${start.toString(16)}, length = 0x${length.toString(16)} },`,
  );
  return [
    'return {',
    `  ram = { length = 0x${(o.ramLength ?? 512 * 1024 * 1024).toString(16)}, image_filename = ${luaString(name(o.ramImage))} },`,
    `  dtb = { bootargs = ${luaString(BOOTARGS)}, init = ${luaString(init.join('\n') + '\n')}, entrypoint = ${luaString(o.entrypoint)} },`,
    '  htif = { yield_manual = true, yield_automatic = true },',
    '  flash_drive = {',
    ...flash,
    '  },',
    '  rollup = {',
    ...rollup,
    '  },',
    '}',
    '',
  ].join('\n');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

/** The config driver.lua boots, and the template key: the config with every file named by its contents' hash. */
export async function machineConfig(o: MachineOptions): Promise<{ lua: string; key: string }> {
  const files = [o.ramImage, o.rootfs, ...(o.drives ?? []).map((d) => d.file)];
  const hashes = new Map<string, string>();
  fileLength(o.ramImage, 'RAM image', false);
  for (const f of files) hashes.set(f, await sha256File(f));
  const emulator = await sha256File(join(o.emulatorLuaDir, 'cartesi.so'));
  const lua = configLua(o, (f) => f);
  const key = createHash('sha256')
    .update(`${TEMPLATE_RECIPE}\0${emulator}\0${configLua(o, (f) => hashes.get(f)!)}`)
    .digest('hex')
    .slice(0, 24);
  return { lua, key };
}

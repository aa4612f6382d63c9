// Issue 18, guest side: the machine's own rollup HTTP server (tt-rollup-server, over /dev/mem and yields, no Cartesi
// kernel driver) serves the unchanged backend inside the real machine. A minimal host (host/rollup-driver.lua) feeds
// inputs through the rollup memory ranges; every voucher, notice and report the machine yields, each accept/reject,
// and every voucher and notice hash it leaves must match the same inputs run through the bundle on this host, with
// the hashes equal to keccak256 of the Solidity encodings (ethers).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbiCoder, getBytes, hexlify, keccak256, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { encodePromptPayload } from '@tt/protocol';
import type { BatchResult } from '../../../dapp/src/batch/client.ts';
import { readDrive } from '../../../dapp/src/batch/drive.ts';
import { luaEnv } from '../src/build/emulator.ts';
import { dappDist } from '../src/build/rootfs.ts';
import { makeFilesDrive } from '../src/run/drives.ts';
import { packageDir } from '../src/paths.ts';
import { MAX_MCYCLE, machineImage, models, workDir } from './vm.ts';

const abi = AbiCoder.defaultAbiCoder();
const CONTRACT = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
const STRANGER = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';
const prompt = (id: bigint, text: string, steps: number) =>
  hexlify(
    encodePromptPayload({
      conversationId: id,
      prompt: toUtf8Bytes(text),
      steps,
      temperatureMilli: 800,
      topPMilli: 900,
    }),
  );
const inputs = [
  { sender: CONTRACT, payload: prompt(1n, 'Once upon a time', 24) },
  { sender: CONTRACT, payload: '0x010203' },
  { sender: STRANGER, payload: prompt(2n, 'Once upon a time', 24) },
  { sender: CONTRACT, payload: prompt(3n, 'The dog', 16) },
].map((x, index) => ({
  ...x,
  metadata: {
    msg_sender: x.sender,
    epoch_index: 0,
    input_index: index,
    block_number: 40 + index,
    timestamp: 1_700_000_000 + 5 * index,
  },
}));
const BACKEND_ENV = `TT_CONTRACT=${CONTRACT} TT_MODEL_NAME=stories260K TT_MODEL_LICENSE=MIT`;

function exec(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** What the bundle emits for these inputs on this host (batch mode, shown byte-identical to the devnet elsewhere). */
async function onHost(dir: string): Promise<BatchResult[]> {
  const requests = inputs.map((i) => ({
    request_type: 'advance_state',
    data: { metadata: i.metadata, payload: i.payload },
  }));
  writeFileSync(join(dir, 'requests.json'), JSON.stringify(requests));
  const r = await exec(
    process.execPath,
    [
      join(dappDist(), 'backend.mjs'),
      '--inputs',
      join(dir, 'requests.json'),
      '--outputs',
      join(dir, 'host.jsonl'),
    ],
    {
      TT_CONTRACT: CONTRACT,
      TT_MODEL_NAME: 'stories260K',
      TT_MODEL_LICENSE: 'MIT',
      TT_CHECKPOINT: models.checkpoint,
      TT_TOKENIZER: models.tokenizer,
    },
  );
  expect(r.code, r.out).toBe(0);
  return readDrive(join(dir, 'host.jsonl'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as BatchResult);
}

describe.skipIf(!models.available)("the machine's own rollup server (issue 18, guest side)", () => {
  it("serves the unchanged backend over the rollup memory ranges: outputs, statuses and hashes equal the host's", async () => {
    const image = await machineImage();
    const dir = workDir('rollup-server');
    const host = await onHost(dir);
    const model = await makeFilesDrive([models.checkpoint, models.tokenizer], {
      workDir: dir,
      label: 'model',
    });
    const inDir = join(dir, 'inputs');
    mkdirSync(inDir);
    writeFileSync(join(inDir, 'N'), String(inputs.length));
    for (const [i, x] of inputs.entries()) {
      const m = x.metadata;
      writeFileSync(
        join(inDir, `metadata-${i}.bin`),
        getBytes(
          abi.encode(
            ['address', 'uint256', 'uint256', 'uint256', 'uint256'],
            [m.msg_sender, m.block_number, m.timestamp, m.epoch_index, m.input_index],
          ),
        ),
      );
      writeFileSync(join(inDir, `input-${i}.bin`), getBytes(abi.encode(['bytes'], [x.payload])));
    }
    // the CLI writes the machine's config (rollup ranges and yields are on by default) without running it
    const cli = join(image.emulatorDir, 'lua', 'cartesi-machine.lua');
    const backend = `${BACKEND_ENV} TT_CHECKPOINT=/mnt/model/stories260K.bin TT_TOKENIZER=/mnt/model/tokenizer.bin node /opt/tt/backend.mjs`;
    const stored = await exec(
      'lua5.4',
      [
        cli,
        '--ram-length=512Mi',
        `--ram-image=${image.linuxBin}`,
        `--flash-drive=label:root,filename:${image.rootfs}`,
        `--flash-drive=label:model,filename:${model}`,
        '--append-init=USER=root',
        `--store-config=${join(dir, 'config.lua')}`,
        '--max-mcycle=0',
        '--',
        `/usr/sbin/tt-rollup-server "${backend}"`,
      ],
      luaEnv(image.emulatorDir),
    );
    expect(stored.code, stored.out).toBe(0);
    const started = Date.now();
    const run = await exec(
      'lua5.4',
      [
        join(packageDir, 'host', 'rollup-driver.lua'),
        join(dir, 'config.lua'),
        inDir,
        join(dir, 'machine.txt'),
        String(MAX_MCYCLE),
      ],
      luaEnv(image.emulatorDir),
    );
    const lines = readFileSync(join(dir, 'machine.txt'), 'utf8').trim().split('\n');
    console.log(`rollup server run: ${lines.at(-1)}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(run.code, run.out.slice(-3000)).toBe(0);

    // group the driver's lines per input: outputs, then the finish, then the hashes of an accepted input
    const perInput: {
      status: string;
      vouchers: string[];
      notices: string[];
      reports: string[];
      voucherHashes: string[];
      noticeHashes: string[];
    }[] = [];
    let cur = {
      status: '',
      vouchers: [] as string[],
      notices: [] as string[],
      reports: [] as string[],
      voucherHashes: [] as string[],
      noticeHashes: [] as string[],
    };
    for (const l of lines.slice(1, -1)) {
      const [kind, a, b] = l.split(' ');
      if (kind === 'voucher') cur.vouchers.push(`0x${a}`);
      else if (kind === 'notice') cur.notices.push(`0x${a}`);
      else if (kind === 'report') cur.reports.push(`0x${a}`);
      else if (kind === 'finish') {
        cur.status = b === '1' ? 'accept' : b === '2' ? 'reject' : `reason ${b}`;
        perInput.push(cur);
        cur = { status: '', vouchers: [], notices: [], reports: [], voucherHashes: [], noticeHashes: [] };
      } else if (kind === 'voucher-hash') perInput.at(-1)!.voucherHashes.push(`0x${a}`);
      else if (kind === 'notice-hash') perInput.at(-1)!.noticeHashes.push(`0x${a}`);
    }
    expect(perInput).toHaveLength(inputs.length);
    for (const [i, h] of host.entries()) {
      const m = perInput[i]!;
      expect(m.status, `input ${i}`).toBe(h.status);
      const vouchers = h.vouchers.map((v) => abi.encode(['address', 'bytes'], [v.destination, v.payload]));
      const notices = h.notices.map((n) => abi.encode(['bytes'], [n.payload]));
      expect(m.vouchers, `input ${i} vouchers`).toEqual(vouchers);
      expect(m.notices, `input ${i} notices`).toEqual(notices);
      expect(m.reports, `input ${i} reports`).toEqual(
        h.reports.map((r) => abi.encode(['bytes'], [r.payload])),
      );
      if (h.status === 'accept') {
        expect(m.voucherHashes, `input ${i} voucher hashes`).toEqual(vouchers.map((v) => keccak256(v)));
        expect(m.noticeHashes, `input ${i} notice hashes`).toEqual(notices.map((n) => keccak256(n)));
      }
    }
    expect(host.map((h) => h.status)).toEqual(['accept', 'reject', 'reject', 'accept']);
  });
});

// @tt/cartesi-node's machine mode with no application: the node's echo backend (a real v1 backend process) runs inside
// the real Cartesi machine behind our rollup server (tt-rollup-server), and the node drives the emulator. Checked: the
// guest server's accept, reject, exception (/exception, and the backend exiting) and inspect paths; that a rejected
// input, an exception and an inspect leave the machine exactly as before (root hashes, and the backend's own memory);
// that the claims carry the machine's root hash and the proofs still verify on chain; that a restarted node loads its
// snapshot (hash checked) or, without one, re-derives the state by replaying the accepted inputs; and that the
// template built again from scratch has the same root hash.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRpcProvider, NonceManager, ZeroHash, hexlify, toUtf8Bytes } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartesiDApp__factory, InputBox__factory } from '@tt/cartesi-v1';
import {
  MachineRunner,
  shellWord,
  startLocalChain,
  type LocalChain,
  type MachineOptions,
  type RunningNode,
} from '@tt/cartesi-node';
import { echoBackendPath } from '@tt/cartesi-node/testing';
import { PROOF_FIELDS, gql } from '@tt/devnet/testing';
import { devnetAccount } from '@tt/protocol';
import { cacheDir } from '../src/paths.ts';
import { makeFilesDrive } from '../src/run/drives.ts';
import { machineImage, workDir } from './vm.ts';

const text = (hex: string) => Buffer.from(hex.slice(2), 'hex').toString('utf8');

describe('machine mode of the node: the echo backend inside the Cartesi machine', () => {
  const dir = workDir('machine-node');
  const stateDir = join(dir, 'state');
  let local: LocalChain;
  let node: RunningNode;
  let app: string;

  async function machine(templatesDir = join(cacheDir(), 'templates')): Promise<MachineOptions> {
    const image = await machineImage();
    return {
      emulatorLuaDir: join(image.emulatorDir, 'lua'),
      ramImage: image.linuxBin,
      rootfs: image.rootfs,
      drives: [{ label: 'app', file: app }],
      entrypoint: `/usr/sbin/tt-rollup-server ${shellWord('node /mnt/app/echo-backend.mjs')}`,
      templatesDir,
    };
  }

  async function start(): Promise<RunningNode> {
    local = await startLocalChain({ stateDir, rpcPort: 0, log: () => {} });
    node = await local.startNode({ port: 0, backend: 'none', machine: await machine() });
    return node;
  }

  async function send(...payloads: string[]) {
    const provider = new JsonRpcProvider(local.rpcUrl, 31337, { staticNetwork: true, pollingInterval: 50 });
    const wallet = new NonceManager(devnetAccount(1).connect(provider));
    const inputBox = InputBox__factory.connect(local.cartesi.contracts.InputBox, wallet);
    for (const p of payloads)
      await (await inputBox.addInput(local.cartesi.application, hexlify(toUtf8Bytes(p)))).wait();
    provider.destroy();
    await node.settled(600_000);
  }

  const inputs = () => node.store.inputs({}, 0, 1000);
  const noticeTexts = () => node.store.outputs('notices', null, 0, 1000).map((n) => text(n.payload));

  beforeAll(async () => {
    app = await makeFilesDrive([echoBackendPath], { workDir: dir, label: 'app' });
    await start();
    const started = Date.now();
    await send('hello', 'reject:no', 'count', 'exception:boom', 'count', 'crash-once:/tmp/crashed', 'count');
    console.log(
      `template ${node.machine!.templateHash}; 7 inputs in the machine in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  afterAll(async () => {
    await local?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts, rejects and raises exceptions through the guest rollup server, like the host-mode node', () => {
    const rows = inputs();
    expect(rows.map((r) => r.status)).toEqual([
      'ACCEPTED',
      'REJECTED',
      'ACCEPTED',
      'EXCEPTION',
      'ACCEPTED',
      'EXCEPTION',
      'ACCEPTED',
    ]);
    expect(text(node.store.outputs('vouchers', 0, 0, 10)[0]!.payload)).toBe('hello');
    expect(node.store.outputs('reports', 1, 0, 10).map((r) => text(r.payload))).toEqual(['reject:no']);
    // /exception: its report is kept and its payload recorded
    expect(node.store.outputs('reports', 3, 0, 10).map((r) => text(r.payload))).toEqual(['exception:boom']);
    const exception = (i: number) =>
      node.store.db.prepare('SELECT exception_payload FROM inputs WHERE idx = ?').get(i) as {
        exception_payload: string;
      };
    expect(text(exception(3).exception_payload)).toBe('exception:boom');
    // the backend exiting mid-input: the server raises the exception, as rollup-init does
    expect(text(exception(5).exception_payload)).toBe('dapp exited with status 3');
  });

  it('leaves the machine exactly as before a rejected input or an exception: same root hash, same backend memory', () => {
    const h = inputs().map((r) => r.machineHash);
    expect(h.every((x) => /^0x[0-9a-f]{64}$/.test(x ?? ''))).toBe(true);
    expect(h[1]).toBe(h[0]); // rejected
    expect(h[3]).toBe(h[2]); // /exception
    expect(h[5]).toBe(h[4]); // the backend exited
    expect(new Set([node.machine!.templateHash, h[0], h[2], h[4], h[6]]).size).toBe(5);
    // the backend counts the inputs it accepted in memory: the rolled-back ones left no trace, not even the crash
    // marker it wrote to /tmp before exiting
    expect(noticeTexts()).toEqual(['hello', 'seen:1', 'seen:2', 'seen:3']);
  });

  it('answers an inspect from the current state without changing it', async () => {
    const before = node.status().machine!.stateHash;
    const r = (await (await fetch(`${node.inspectUrl}/ping`)).json()) as {
      status: string;
      reports: { payload: string }[];
    };
    expect(r.status).toBe('Accepted');
    expect(r.reports.map((x) => text(x.payload))).toEqual(['ping']);
    expect(node.status().machine!.stateHash).toBe(before);
    expect(before).toBe(inputs().at(-1)!.machineHash);
  });

  it("claims the machine's root hash after each epoch, and the proofs verify on chain", async () => {
    const rows = inputs();
    for (const r of rows) {
      const epoch = node.store.epoch(r.epochIndex!)!;
      expect(epoch.claimed).toBe(true);
      expect(epoch.machineStateHash).toBe(node.store.input(epoch.lastInput)!.machineHash);
    }
    const data = await gql(
      node.graphqlUrl,
      `{ input(index: 0) { vouchers { edges { node { destination payload ${PROOF_FIELDS} } } } notices { edges { node { payload ${PROOF_FIELDS} } } } } }`,
    );
    const voucher = data.input.vouchers.edges[0].node;
    const notice = data.input.notices.edges[0].node;
    expect(voucher.proof.validity.machineStateHash).toBe(rows[0]!.machineHash);
    expect(voucher.proof.validity.machineStateHash).not.toBe(ZeroHash);
    // the machine's own output hashes (which the node checks against the outputs) are what the contracts verify
    const provider = new JsonRpcProvider(local.rpcUrl, 31337, { staticNetwork: true, pollingInterval: 50 });
    const dapp = CartesiDApp__factory.connect(
      local.cartesi.application,
      new NonceManager(devnetAccount(1).connect(provider)),
    );
    expect(await dapp.validateNotice.staticCall(notice.payload, notice.proof)).toBe(true);
    await expect(
      dapp.validateNotice.staticCall(hexlify(toUtf8Bytes('forged')), notice.proof),
    ).rejects.toThrow();
    const receipt = await (
      await dapp.executeVoucher(voucher.destination, voucher.payload, voucher.proof)
    ).wait();
    expect(receipt!.status).toBe(1);
    expect(await dapp.wasVoucherExecuted(0, 0)).toBe(true);
    provider.destroy();
  });

  it('boots the same template again from scratch in another folder: the same root hash (reproducible)', async () => {
    const again = await MachineRunner.prepare({
      machine: await machine(join(dir, 'templates-again')),
      snapshotsDir: join(dir, 'snapshots-again'),
      store: node.store,
      log: () => {},
    });
    await again.stop();
    expect(again.templateHash).toBe(node.machine!.templateHash);
  });

  it('after a restart, loads its snapshot (root hash checked) and goes on from the same state', async () => {
    const before = node.status().machine!.stateHash;
    await local.stop();
    await start();
    await send('count');
    expect(inputs()[6]!.machineHash).toBe(before);
    expect(noticeTexts().at(-1)).toBe('seen:4');
    expect(inputs()).toHaveLength(8);
  });

  it('without a snapshot, re-derives the state by replaying the accepted inputs from the template', async () => {
    const before = node.status().machine!.stateHash;
    await local.stop();
    const snapshots = join(stateDir, 'machine');
    for (const name of readdirSync(snapshots))
      if (/^[0-9a-f]{64}$/.test(name)) rmSync(join(snapshots, name), { recursive: true });
    await start();
    await send('count');
    expect(inputs()[7]!.machineHash).toBe(before);
    // the replay gave every accepted input's outputs again (checked against the store), then the state went on
    expect(noticeTexts().at(-1)).toBe('seen:5');
  });
});

// Faults: the whole devnet killed with SIGKILL in the middle of a stream of inputs and started
// again on the same state, and the backend killed in the middle of an input. Nothing may be lost,
// processed twice or claimed twice, and every voucher must still execute.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AbiCoder, Contract } from 'ethers';
import { Authority__factory } from '@tt/cartesi-v1';

import { gql, hexText, startEchoNode, tempStateDir, user, type TestNode } from './helpers.js';

const runner = fileURLToPath(new URL('./fixtures/run-node.ts', import.meta.url));
const children: ChildProcess[] = [];

interface Ready {
  rpcUrl: string;
  graphqlUrl: string;
  nodeUrl: string;
  contracts: TestNode['contracts'];
}

function runDevnet(stateDir: string): Promise<{ child: ChildProcess; ready: Ready; log: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', runner, stateDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => {
    log.push(l);
    if (process.env.DEVNET_TEST_LOG) console.log(`[child ${child.pid}] ${l}`);
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('{"ready"')) resolve({ child, ready: JSON.parse(l), log });
    });
    child.on('exit', (code) =>
      reject(new Error(`devnet child exited with ${code} before it was ready:\n${log.join('\n')}`)),
    );
  });
}

const asDevnet = (r: Ready) => ({ ...r, rollupUrl: '', inspectUrl: '' }) as unknown as TestNode;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ALL = `{ inputs { totalCount edges { node { index status payload notices { totalCount } reports { totalCount }
  vouchers { totalCount edges { node { destination payload proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } } } } } } } } }`;

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('restart', () => {
  it('survives kill -9 of the whole devnet mid-stream: nothing lost, nothing duplicated, one claim per epoch', async () => {
    const stateDir = tempStateDir();
    const first = await runDevnet(stateDir);
    const alice = await user(asDevnet(first.ready), 1);
    const N = 6;
    for (let i = 0; i < N; i++) await alice.addInput(`sleep:150:input ${i}`);
    alice.destroy();
    // kill once some (not all) inputs are processed
    await waitFor('two processed inputs', async () => {
      const r = await gql(asDevnet(first.ready), `{ inputs { edges { node { status } } } }`);
      const done = r.data.inputs.edges.filter((e: any) => e.node.status !== 'UNPROCESSED').length;
      return done >= 2 ? done : undefined;
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await runDevnet(stateDir);
    const d2 = asDevnet(second.ready);
    expect(second.ready.contracts).toEqual(first.ready.contracts);
    expect(second.log.some((l) => /replayed \d+ journaled requests/.test(l))).toBe(true);
    const all = await waitFor('every input processed and proven', async () => {
      const r = await gql(d2, ALL);
      const nodes = r.data.inputs.edges.map((e: any) => e.node);
      const ready =
        nodes.length === N &&
        nodes.every((n: any) => n.status === 'ACCEPTED' && n.vouchers.edges.every((v: any) => v.node.proof));
      return ready ? nodes : undefined;
    });
    expect(all.map((n: any) => n.payload)).toEqual(
      [...Array(N).keys()].map((i) => hexText(`sleep:150:input ${i}`)),
    );
    for (const n of all) {
      expect([n.notices.totalCount, n.vouchers.totalCount, n.reports.totalCount]).toEqual([1, 1, 1]);
    }

    // the chain has exactly the claims the node's epochs describe, contiguous and each once
    const bob = await user(d2, 3);
    const authority = Authority__factory.connect(second.ready.contracts.Authority, bob.provider);
    const app = second.ready.contracts.CartesiDApp;
    const contexts = [...new Set(all.map((n: any) => n.vouchers.edges[0].node.proof.context))] as string[];
    const ranges: [bigint, bigint][] = [];
    for (let i = 0; ; i++) {
      const ctx = AbiCoder.defaultAbiCoder().encode(['uint256'], [i]);
      const claim = await authority
        .getFunction('getClaim')(app, ctx)
        .catch(() => null);
      if (!claim) break;
      ranges.push([claim[1], claim[2]]);
    }
    expect(ranges.length).toBe(contexts.length);
    // per-block epochs: each input (its own block) is its own epoch, whatever the kill interrupted
    expect(contexts).toEqual(
      [...Array(N).keys()].map((i) => AbiCoder.defaultAbiCoder().encode(['uint256'], [i])),
    );
    expect(ranges[0]![0]).toBe(0n);
    expect(ranges.at(-1)![1]).toBe(BigInt(N - 1));
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1n);

    // and every voucher still executes with its proof
    for (const n of all) {
      const v = n.vouchers.edges[0].node;
      await (await bob.dapp.getFunction('executeVoucher')(v.destination, v.payload, v.proof)).wait();
      expect(await bob.dapp.getFunction('wasVoucherExecuted')(n.index, 0)).toBe(true);
    }
    bob.destroy();
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 120_000);
});

describe('backend faults', () => {
  let devnet: TestNode;
  afterAll(async () => {
    await devnet?.stop();
  });

  it('restarts a backend that dies mid-input and processes that input exactly once', async () => {
    devnet = await startEchoNode();
    const alice = await user(devnet, 1);
    const marker = join(tempStateDir(), 'crashed');
    await alice.addInput(`crash-once:${marker}`); // the backend emits a notice, then exits without finishing
    await devnet.settled();
    const pidBefore = devnet.node.backend!.pid;
    await alice.addInput('sleep:1500:killed mid-inference');
    await waitFor('the backend to hold input 1', async () =>
      devnet.node.hostRunner.currentKind === 'advance' ? true : undefined,
    );
    devnet.node.backend!.kill('SIGKILL');
    await alice.addInput('after the faults');
    await devnet.settled();
    alice.destroy();
    const r = await gql(
      devnet,
      `{ inputs { edges { node { index status notices { totalCount } vouchers { totalCount } } } } }`,
    );
    expect(r.data.inputs.edges.map((e: any) => e.node)).toEqual([
      { index: 0, status: 'ACCEPTED', notices: { totalCount: 1 }, vouchers: { totalCount: 1 } },
      { index: 1, status: 'ACCEPTED', notices: { totalCount: 1 }, vouchers: { totalCount: 1 } },
      { index: 2, status: 'ACCEPTED', notices: { totalCount: 1 }, vouchers: { totalCount: 1 } },
    ]);
    expect(devnet.node.backend!.restarts).toBe(2);
    expect(devnet.node.backend!.pid).not.toBe(pidBefore);
  }, 60_000);
});

describe('rebuild from the chain', () => {
  it('rebuilds a lost node store by replaying the inputs: same outputs, same proofs, no new claims', async () => {
    const { rmSync } = await import('node:fs');
    const stateDir = tempStateDir();
    const a = await startEchoNode({ stateDir });
    const alice = await user(a, 1);
    for (const t of ['one', 'reject:two', 'three']) {
      await alice.addInput(t);
      await a.settled();
    }
    await alice.addInput('four');
    await alice.addInput('five');
    await a.settled();
    alice.destroy();
    const before = await gql(a, ALL);
    const blockBefore = await a.chain.ethers.getBlockNumber();
    await a.stop();
    for (const f of ['node.sqlite', 'node.sqlite-wal', 'node.sqlite-shm'])
      rmSync(join(stateDir, f), { force: true });

    const b = await startEchoNode({ stateDir });
    try {
      await b.settled();
      expect(await gql(b, ALL)).toEqual(before);
      // every epoch was already claimed: the rebuilt node found its claims on-chain and sent nothing
      expect(await b.chain.ethers.getBlockNumber()).toBe(blockBefore);
    } finally {
      await b.stop();
    }
  }, 60_000);
});

describe('backend state', () => {
  it('with restoreBackendState, a restarted backend is given the accepted inputs again and ends up in the same state', async () => {
    const lines: string[] = [];
    const d = await startEchoNode({ restoreBackendState: true, log: (l) => lines.push(l) });
    try {
      const alice = await user(d, 1);
      await alice.addInput('a');
      await alice.addInput('reject:not counted');
      await alice.addInput('b');
      await d.settled();
      d.node.backend!.kill('SIGKILL');
      await alice.addInput('count');
      await d.settled();
      alice.destroy();
      const r = await gql(d, `{ input(index: 3) { status notices { edges { node { payload } } } } }`);
      expect(r.data.input.notices.edges.map((e: any) => e.node.payload)).toEqual([hexText('seen:2')]);
    } finally {
      await d.stop();
    }
    expect(lines.some((l) => l.includes('restoring its state'))).toBe(true);
    // the replayed inputs gave the same outputs as the first time
    expect(lines.filter((l) => l.includes('not deterministic'))).toEqual([]);
  }, 60_000);
});

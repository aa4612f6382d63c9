// Block-based epochs (--epoch-length), the real node's behaviour: proofs appear only once the chain
// has moved past the input's epoch, and every input of one epoch shares one claim.
import { afterAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Contract } from 'ethers';
import { Authority__factory } from '@tt/cartesi-v1';

const FUNDED_ACCOUNTS_5 = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc';
import { gql, hexText, startEchoNode, tempStateDir, user, type TestNode } from './helpers.js';

let devnet: TestNode | undefined;
afterAll(async () => {
  await devnet?.stop();
});

const EPOCH = 5;

it('closes epochs by block number and claims each once', async () => {
  devnet = await startEchoNode({ epochLength: EPOCH });
  const alice = await user(devnet, 1);
  const first = devnet.inputBoxDeploymentBlock;
  const epochOf = (b: number) => Math.floor((b - first) / EPOCH);
  // start at the beginning of an epoch so both inputs land in the same one
  while ((await alice.provider.getBlockNumber()) % EPOCH !== (first + EPOCH - 1) % EPOCH)
    await alice.provider.send('evm_mine', []);
  const r0 = await alice.addInput('epoch input a');
  const r1 = await alice.addInput('epoch input b');
  expect(epochOf(r0.blockNumber)).toBe(epochOf(r1.blockNumber));
  await devnet.settled();
  const before = await gql(devnet, `{ vouchers { edges { node { proof { context } } } } }`);
  expect(before.data.vouchers.edges.map((e: any) => e.node.proof)).toEqual([null, null]);

  while (epochOf(await alice.provider.getBlockNumber()) === epochOf(r1.blockNumber))
    await alice.provider.send('evm_mine', []);
  await devnet.settled();
  const after = await gql(
    devnet,
    `{ vouchers { edges { node { proof { context validity { inputIndexWithinEpoch } } } } } }`,
  );
  const proofs = after.data.vouchers.edges.map((e: any) => e.node.proof);
  expect(proofs.map((p: any) => p.context)).toEqual([`0x${'00'.repeat(32)}`, `0x${'00'.repeat(32)}`]);
  expect(proofs.map((p: any) => p.validity.inputIndexWithinEpoch)).toEqual([0, 1]);
  alice.destroy();
}, 60_000);

it('starts the node state afresh when the chain it belonged to is gone', async () => {
  const stateDir = tempStateDir();
  const a = await startEchoNode({ stateDir });
  const alice = await user(a, 1);
  await alice.addInput('on the old chain');
  await a.settled();
  alice.destroy();
  await a.stop();
  // losing the chain journal means a brand-new chain; the old inputs must not be served for it
  rmSync(join(stateDir, 'chain-journal.jsonl'));
  const lines: string[] = [];
  devnet = undefined;
  const b = await startEchoNode({ stateDir, log: (l) => lines.push(l) });
  try {
    expect(lines.some((l) => l.includes('belongs to another chain'))).toBe(true);
    const r = await gql(b, `{ inputs { totalCount } }`);
    expect(r.data.inputs.totalCount).toBe(0);
  } finally {
    await b.stop();
  }
}, 60_000);

it('answers 502 for inspect when no backend is polling', async () => {
  const d = await startEchoNode({ backend: 'none' });
  try {
    const res = await fetch(`${d.inspectUrl}/info`);
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/no backend is polling/);
    // a backend of your own polls the host-runner API; with nothing to do it gets 202 (after the finish timeout: how
    // long that takes is not asserted here, a shared machine's timings are not a test's business)
    const finish = await fetch(`${d.rollupUrl}/finish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"status":"accept"}',
    });
    expect(finish.status).toBe(202);
    expect(await finish.text()).toBe('no rollup request available');
  } finally {
    await d.stop();
  }
}, 60_000);

it('hands the Authority to another test account when asked, so claims never use account 0 nonces', async () => {
  const d = await startEchoNode({ claimerAccount: 5 });
  try {
    const alice = await user(d, 0);
    await alice.addInput('from account 0 while the claimer is #5');
    await d.settled();
    const authority = Authority__factory.connect(d.contracts.Authority, alice.provider);
    expect(await authority.owner()).toBe(FUNDED_ACCOUNTS_5);
    const v = (
      await gql(
        d,
        `{ vouchers { edges { node { destination payload proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } } } } } }`,
      )
    ).data.vouchers.edges[0].node;
    expect(await alice.dapp.getFunction('executeVoucher').staticCall(v.destination, v.payload, v.proof)).toBe(
      true,
    );
    alice.destroy();
  } finally {
    await d.stop();
  }
}, 60_000);

it('drops node state from blocks the chain lost (a journal cut short), and reads the re-mined blocks', async () => {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const stateDir = tempStateDir();
  const a = await startEchoNode({ stateDir });
  const alice = await user(a, 1);
  await alice.addInput('kept');
  await a.settled();
  const journalPath = join(stateDir, 'chain-journal.jsonl');
  const keep = readFileSync(journalPath, 'utf8');
  await alice.addInput('lost with the journal tail');
  await a.settled();
  alice.destroy();
  await a.stop();
  writeFileSync(journalPath, keep);
  const lines: string[] = [];
  const b = await startEchoNode({ stateDir, log: (l) => lines.push(l) });
  try {
    const r1 = await gql(b, `{ inputs { totalCount edges { node { payload } } } }`);
    const bob = await user(b, 2);
    await bob.addInput('after the cut');
    await b.settled();
    bob.destroy();
    const r2 = await gql(b, `{ inputs { edges { node { index status payload } } } }`);
    // the store either kept input 0 (its block survived) or started afresh and re-read it from the chain
    expect(r1.data.inputs.totalCount).toBeLessThanOrEqual(1);
    expect(r2.data.inputs.edges.map((e: any) => [e.node.index, e.node.status, e.node.payload])).toEqual([
      [0, 'ACCEPTED', hexText('kept')],
      [1, 'ACCEPTED', hexText('after the cut')],
    ]);
  } finally {
    await b.stop();
  }
}, 60_000);

it('refuses a second devnet on a state directory another live devnet uses', async () => {
  const { spawn } = await import('node:child_process');
  const stateDir = tempStateDir();
  // a live process that is not us holds the lock
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(stateDir, 'devnet.pid'), String(holder.pid));
    await expect(startEchoNode({ stateDir })).rejects.toThrow(/another devnet \(pid \d+\) is using/);
  } finally {
    holder.kill();
  }
  // once that process is gone, its stale lock does not stand in the way
  await new Promise((r) => holder.once('exit', r));
  const d = await startEchoNode({ stateDir });
  await d.stop();
}, 60_000);

// Faults, compared against a run without faults. Two devnets (real backend, stories260K) each in their own process
// get the very same inputs: rounds of prompts, each round's prompts mined in one block with a pinned timestamp, so
// both chains and both nodes must end in exactly the same state. In the faulty run:
//  - the backend is SIGKILLed in the middle of an inference (the devnet's fault-injection hook) → restarted, the
//    input processed once;
//  - the whole devnet process (chain + node + backend watchdog) is SIGKILLed at random points: while inputs are
//    processed, between the last output and the epoch's claim, during the claim's submission; then started again on
//    the same state directory.
// Then: full GraphQL dumps (inputs, statuses, outputs, proofs) identical to the fault-free run, the History holds the
// same claims (none missing, none twice), no backend left orphaned, and every voucher executes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AbiCoder, Contract, JsonRpcProvider, getBytes, hexlify, toBeHex } from 'ethers';
import { Authority__factory, CartesiDApp__factory, History__factory } from '@tt/cartesi-v1';
import { emptyStats, recordStats } from '../src/stats.ts';
import { haveModel, modelNote, sized, fuzzSeed } from '../src/models.ts';
import { DevnetChild, liveChildren } from '../src/child.ts';
import {
  account,
  backendPath,
  dumpInputs,
  haveBackend,
  impersonate,
  rpc,
  ttIface,
  type DumpedInput,
} from '../src/devnet.ts';

const ROUNDS = sized('TT_FAULT_ROUNDS', 3, 8);
const PER_ROUND = sized('TT_FAULT_PROMPTS', 3, 5);
const SEED = fuzzSeed(424242);
const run = haveModel && haveBackend;
const skipNote = !haveBackend ? ` [SKIPPED: no backend at ${backendPath}; run pnpm build]` : modelNote;
const stats = emptyStats('faults (backend + node kill -9)');
const stateDirs: string[] = [];

afterAll(() => {
  for (const c of liveChildren) c.kill('SIGKILL');
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  if (stats.tried) recordStats(stats);
});

type Phase = 'processing' | 'before-claim' | 'claim-submission';
const faultPlan = fc.sample(
  fc.record({
    phase: fc.constantFrom<Phase>('processing', 'before-claim', 'claim-submission'),
    delayMs: fc.integer({ min: 0, max: 40 }),
    nth: fc.nat(PER_ROUND - 1),
  }),
  { numRuns: ROUNDS, seed: SEED },
);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends one round of prompts through TrustAndTeach in one block with a pinned timestamp. */
async function sendRound(rpcUrl: string, tt: string, round: number, genesisTs: number): Promise<void> {
  const provider = rpc(rpcUrl);
  const author = account(rpcUrl, 2).address;
  await impersonate(provider, author);
  await provider.send('evm_setAutomine', [false]);
  try {
    for (let k = 0; k < PER_ROUND; k++) {
      // round 0's first prompt runs the whole context, so the backend kill lands inside a long inference
      const steps = round === 0 && k === 0 ? 512 : 40 + k;
      const data = ttIface.encodeFunctionData('sendPrompt(string,uint32,uint32,uint32)', [
        `Round ${round} prompt ${k}`,
        steps,
        800,
        900,
      ]);
      await provider.send('eth_sendTransaction', [{ from: author, to: tt, data, gas: toBeHex(1_000_000) }]);
    }
    await provider.send('evm_mine', [genesisTs + 100_000 + round * 1_000]);
  } finally {
    await provider.send('evm_setAutomine', [true]);
    provider.destroy();
  }
}

async function claims(provider: JsonRpcProvider, authority: string, dapp: string) {
  const a = new Contract(authority, Authority__factory.abi, provider);
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const c = await a
      .getFunction('getClaim')(dapp, AbiCoder.defaultAbiCoder().encode(['uint256'], [i]))
      .catch(() => null);
    if (!c) return out;
    out.push(`${c[0]}:${c[1]}..${c[2]}`);
  }
}

describe.skipIf(!run)(`faults${skipNote}`, () => {
  it(`${ROUNDS} rounds x ${PER_ROUND} prompts: backend killed mid-inference, node killed at random points; same GraphQL, same claims as without faults, vouchers execute`, async () => {
    const t0 = Date.now();
    // -------- the fault-free baseline
    const baseDir = mkdtempSync(join(tmpdir(), 'tt-rel-base-'));
    stateDirs.push(baseDir);
    const base = await DevnetChild.start(baseDir);
    // input blocks get pinned timestamps (the same in both runs), far enough ahead of the chains' own clocks
    const genesisTs = Math.floor(Date.now() / 1000);
    for (let r = 0; r < ROUNDS; r++) {
      await sendRound(base.ready.rpcUrl, base.ready.deployments.contracts.TrustAndTeach, r, genesisTs);
      await base.command('settle');
    }
    const baseDump = await dumpInputs(base.ready.graphqlUrl);
    const bp = rpc(base.ready.rpcUrl);
    const { Authority, CartesiDApp, TrustAndTeach } = base.ready.deployments.contracts;
    const baseClaims = await claims(bp, Authority, CartesiDApp);
    bp.destroy();
    await base.stop();
    expect(baseDump).toHaveLength(ROUNDS * PER_ROUND);
    expect(baseClaims).toHaveLength(ROUNDS);

    // -------- the same inputs with faults
    const dir = mkdtempSync(join(tmpdir(), 'tt-rel-fault-'));
    stateDirs.push(dir);
    let d = await DevnetChild.start(dir);
    const runs = [d];
    const faults: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r === 0) {
        // backend killed in the middle of the long inference of round 0's first prompt
        const before = await d.command('backend');
        const killed = d.command('kill-backend-busy');
        await sendRound(d.ready.rpcUrl, TrustAndTeach, r, genesisTs);
        const { killed: pid } = await killed;
        stats.faultsInjected++;
        faults.push(`backend pid ${pid} killed mid-inference`);
        await d.command('settle');
        const after = await d.command('backend');
        expect(after.restarts).toBe(before.restarts + 1);
        expect(after.pid).not.toBe(pid);
        expect(alive(pid)).toBe(false);
        stats.faultsSurvived++;
        continue;
      }
      const plan = faultPlan[r]!;
      const trigger =
        plan.phase === 'processing'
          ? d.nextLine(new RegExp(`^input ${r * PER_ROUND + plan.nth} from `))
          : plan.phase === 'before-claim'
            ? d.nextLine(new RegExp(`^input ${(r + 1) * PER_ROUND - 1} from `))
            : d.nextLine(/^epoch \d+ closed/);
      await sendRound(d.ready.rpcUrl, TrustAndTeach, r, genesisTs);
      await trigger;
      if (plan.delayMs) await new Promise((res) => setTimeout(res, plan.delayMs));
      const backendPid = (await d.command('backend')).pid as number | null;
      await d.kill9();
      stats.faultsInjected++;
      faults.push(`node killed (${plan.phase} +${plan.delayMs} ms)`);
      // the watchdog takes the backend down with the node: no orphan
      if (backendPid) {
        const deadline = Date.now() + 10_000;
        while (alive(backendPid) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
        expect(alive(backendPid), `backend ${backendPid} orphaned after kill -9 of the node`).toBe(false);
      }
      d = await DevnetChild.start(dir);
      runs.push(d);
      await d.command('settle');
      stats.faultsSurvived++;
    }
    const dump = await dumpInputs(d.ready.graphqlUrl);
    const p = rpc(d.ready.rpcUrl);
    const faultClaims = await claims(p, Authority, CartesiDApp);

    // -------- same answers, same claims
    stats.tried = dump.length;
    for (const i of baseDump) if (!dump.find((x) => x.index === i.index)) stats.lost++;
    stats.duplicates =
      Math.max(0, faultClaims.length - baseClaims.length) +
      (dump.length - new Set(dump.map((x) => x.index)).size);
    stats.accepted = dump.filter((x) => x.status === 'ACCEPTED').length;
    // each input recorded once over all the node processes of the faulty run (the node logs one line per recording)
    const recorded = new Map<number, number>();
    for (const run of runs)
      for (const l of run.log) {
        const m = /^input (\d+) from 0x/.exec(l);
        if (m) recorded.set(Number(m[1]), (recorded.get(Number(m[1])) ?? 0) + 1);
      }
    for (const i of baseDump) {
      const n = recorded.get(i.index) ?? 0;
      if (n > 1) stats.duplicates++;
      expect(n, `input ${i.index} recorded ${n} times`).toBe(1);
    }
    expect(dump).toEqual(baseDump);
    expect(faultClaims).toEqual(baseClaims);

    // -------- every voucher still executes, once
    const alice = account(d.ready.rpcUrl, 3);
    const dapp = new Contract(CartesiDApp, CartesiDApp__factory.abi, alice.wallet);
    let executed = 0;
    for (const i of dump as DumpedInput[]) {
      for (const v of i.vouchers.edges) {
        await (
          await dapp.getFunction('executeVoucher')(v.node.destination, v.node.payload, v.node.proof)
        ).wait();
        executed++;
        await expect(
          dapp.getFunction('executeVoucher').staticCall(v.node.destination, v.node.payload, v.node.proof),
        ).rejects.toThrow(/VoucherReexecutionNotAllowed|reverted/);
      }
    }
    const tt = new Contract(TrustAndTeach, ttIface, p);
    for (let c = 0; c < ROUNDS * PER_ROUND; c++)
      expect(Number((await tt.getFunction('getConversation')(c)).responsesPosted)).toBe(2);
    alice.destroy();
    p.destroy();

    // -------- a clean restart (Ctrl-C, then `pnpm dev` again): the UI's sources serve the same data
    const uiView = async (r: DevnetChild) => ({
      dump: await dumpInputs(r.ready.graphqlUrl),
      deployments: await (await fetch(`${r.ready.nodeUrl}/deployments.json`)).json(),
      manifest: await (await fetch(`${r.ready.nodeUrl}/models/manifest.json`)).json(),
    });
    const before = await uiView(d);
    await d.stop();
    stats.faultsInjected++;
    d = await DevnetChild.start(dir);
    const after = await uiView(d);
    // the free ports differ from one start to the next; everything else must not
    const norm = (v: typeof before) =>
      JSON.parse(JSON.stringify(v).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'));
    expect(norm(after)).toEqual(norm(before));
    stats.faultsSurvived++;
    faults.push('clean stop and restart');
    await d.stop();
    stats.durationMs = Date.now() - t0;
    stats.notes = `${faults.join('; ')}; ${executed} vouchers executed after the faults`;
  });
});

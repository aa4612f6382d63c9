// End to end against one devnet running the real backend (dapp/dist/backend.mjs, supervised by the node) with
// stories260K:
//  1. bad input: fast-check generated payloads (random bytes, truncated ABI, wrong selector, broken offsets/lengths,
//     trailing bytes, out-of-range fields, invalid UTF-8, control characters, prompts past the context, other
//     senders) sent through the real InputBox, many per block, from the TrustAndTeach address itself (impersonated, so
//     the backend decodes them) and from strangers; plus a few payloads near the 2 MiB input limit. Every input ends as
//     the oracle (src/oracle.ts) says: REJECTED with one error report with an allowed code, or ACCEPTED with two
//     notices and two vouchers to TrustAndTeach that carry the same bytes. The backend process never dies, and a
//     valid prompt afterwards works.
//  2. load: prompts from several accounts at once, each processed exactly once in InputBox order, every voucher
//     executed, the export (@tt/client) has every conversation with the notices' exact bytes.
//  3. contract security on the same chain, voucher destinations, listening sockets, secrets in the logs.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbiCoder,
  Contract,
  HDNodeWallet,
  JsonRpcProvider,
  getBytes,
  hexlify,
  keccak256,
  solidityPacked,
  toBeHex,
  toUtf8Bytes,
  wordlists,
} from 'ethers';
import { loadEngine, type Engine } from '@tt/llm';
import { Authority__factory, CartesiDApp__factory } from '@tt/cartesi-v1';
import type { Devnet } from '@tt/devnet';
import { DEVNET_MNEMONIC } from '@tt/protocol';
import { buildDatasetRows, readConversations, trustAndTeach, executeVoucher } from '@tt/client';
import { emptyStats, recordStats, type SuiteStats } from '../src/stats.ts';
import { haveModel, modelFiles, modelNote, repoRoot, sized, fuzzSeed } from '../src/models.ts';
import {
  PLANTED,
  account,
  addInputsInOneBlock,
  allVouchers,
  dumpInputs,
  haveBackend,
  httpRequest,
  backendPath,
  impersonate,
  inputAddedEvents,
  inputIface,
  promptPayload,
  reportJson,
  rpc,
  startRealDevnet,
  ttIface,
  waitFor,
  type DumpedInput,
  type LoggedDevnet,
} from '../src/devnet.ts';
import { expectOutcome, strictDecode, withTrailing, type Expectation } from '../src/oracle.ts';

const FUZZ_INPUTS = sized('TT_FUZZ_INPUTS', 300, 3000);
const BATCH = 50;
// each one costs the chain, the node and the backend tens of seconds on a busy 2-core machine
const HUGE_INPUTS = sized('TT_HUGE_INPUTS', 2, 4);
const LOAD_ACCOUNTS = sized('TT_LOAD_ACCOUNTS', 4, 8);
const LOAD_PER_ACCOUNT = sized('TT_LOAD_PER_ACCOUNT', 4, 20);
const SEED = fuzzSeed(20261201);
const run = haveModel && haveBackend;
const skipNote = !haveBackend ? ` [SKIPPED: no backend at ${backendPath}; run pnpm build]` : modelNote;

const fuzzStats = emptyStats('bad input end to end');
const loadStats = emptyStats('load (several accounts)');
const securityStats = emptyStats('contract security');
const fuzzJunk = emptyStats('node HTTP APIs under junk');

let env: LoggedDevnet;
let devnet: Devnet;
let provider: JsonRpcProvider;
let engine: Engine;
let TT: string;
let backendPid: number | undefined;
let seqLen: number;

/** A shared list of every input index we sent and what must become of it. */
const sent: { index: number; label: string; expect: Expectation }[] = [];

beforeAll(async () => {
  if (!run) return;
  env = await startRealDevnet();
  devnet = env.devnet;
  provider = rpc(devnet.rpcUrl);
  TT = devnet.deployments.contracts.TrustAndTeach;
  seqLen = devnet.deployments.model.seqLen;
  engine = await loadEngine({
    checkpoint: new Uint8Array(readFileSync(modelFiles.checkpoint)),
    tokenizer: new Uint8Array(readFileSync(modelFiles.tokenizer)),
    backend: 'scalar',
  });
  await waitFor('the backend to start', async () => devnet.node.backend?.pid, 30_000);
  backendPid = devnet.node.backend!.pid;
});

afterAll(async () => {
  for (const s of [fuzzStats, loadStats, securityStats, fuzzJunk]) if (s.tried) recordStats(s);
  provider?.destroy();
  engine?.dispose();
  await env?.stop();
});

/** Backend deaths so far (nobody injects faults in this file, so every one is a crash). */
function backendCrashes(): number {
  return devnet.node.backend!.restarts;
}
const phase = (what: string) => {
  if (process.env.TT_TEST_LOG) console.log(`[e2e ${new Date().toISOString()}] ${what}`);
};

// ---------------------------------------------------------------------------------------------- arbitraries
const u32Edge = (valid: [number, number]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: valid[0], max: valid[1] }) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, valid[1], valid[1] + 1, 2 ** 31, 2 ** 32 - 1) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
  );
const promptBytes = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }).map((s) => toUtf8Bytes(s)) },
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }) }, // mostly invalid UTF-8
  {
    weight: 2,
    arbitrary: fc
      .array(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 20 })
      .map((a) => Uint8Array.from(a)),
  }, // control characters, NUL
  { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
  { weight: 1, arbitrary: fc.integer({ min: 4090, max: 4200 }).map((n) => new Uint8Array(n).fill(0x61)) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 300, max: 1500 })
      .map((n) => Uint8Array.from({ length: n }, (_, i) => 0x80 + (i % 64))),
  }, // one byte token each: past the context
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '\u202e\u0000\u001b[31m',
        'Once upon a time',
        '\uFEFF\uD7FF\uE000',
        '\u{1F4A5}'.repeat(10),
      )
      .map((s) => toUtf8Bytes(s)),
  },
);
const fields = fc.record({
  id: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.constantFrom(0n, 1n, (1n << 256n) - 1n)),
  prompt: promptBytes,
  steps: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 40 }) },
    { weight: 2, arbitrary: u32Edge([1, 512]) },
  ),
  temperatureMilli: u32Edge([0, 2000]),
  topPMilli: u32Edge([1, 1000]),
});
const encode = (f: {
  id: bigint;
  prompt: Uint8Array;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
}) => promptPayload(f);

type Case = { label: string; from: 'tt' | 'stranger'; payload: string };
const caseArb: fc.Arbitrary<Case> = fc.oneof(
  fc.record({ f: fields }).map(({ f }) => ({ label: 'fields', from: 'tt' as const, payload: encode(f) })),
  fc
    .uint8Array({ maxLength: 300 })
    .map((b) => ({ label: 'random bytes', from: 'tt' as const, payload: hexlify(b) })),
  fc.record({ f: fields, cut: fc.nat() }).map(({ f, cut }) => {
    const p = getBytes(encode(f));
    return { label: 'truncated ABI', from: 'tt' as const, payload: hexlify(p.subarray(0, cut % p.length)) };
  }),
  fc.record({ f: fields, sel: fc.uint8Array({ minLength: 4, maxLength: 4 }) }).map(({ f, sel }) => {
    const p = getBytes(encode(f));
    p.set(sel, 0);
    return { label: 'wrong selector', from: 'tt' as const, payload: hexlify(p) };
  }),
  fc
    .record({
      f: fields,
      word: fc.nat(7),
      value: fc.oneof(
        fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
        fc.constantFrom(
          0n,
          0x20n,
          0x80n,
          0xa0n,
          0xc0n,
          0xffffffffn,
          1n << 32n,
          1n << 64n,
          1n << 255n,
          (1n << 256n) - 1n,
        ),
      ),
    })
    .map(({ f, word, value }) => {
      const p = getBytes(encode(f));
      const at = 4 + 32 * word;
      if (at + 32 <= p.length) p.set(getBytes(toBeHex(value, 32)), at);
      return { label: `bad offset/length/word ${word}`, from: 'tt' as const, payload: hexlify(p) };
    }),
  fc.record({ f: fields, extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }).map(({ f, extra }) => ({
    label: 'trailing bytes',
    from: 'tt' as const,
    payload: withTrailing(encode(f), extra),
  })),
  fc
    .record({ f: fields, raw: fc.uint8Array({ maxLength: 100 }), useRaw: fc.boolean() })
    .map(({ f, raw, useRaw }) => ({
      label: 'other sender',
      from: 'stranger' as const,
      payload: useRaw ? hexlify(raw) : encode(f),
    })),
);

// --------------------------------------------------------------------------------------------------- checks
const SEED_DOMAIN = 'trust-and-teach:seed:v1';
function seedFor(id: bigint, index: number): bigint {
  const h = keccak256(solidityPacked(['string', 'uint256', 'uint8'], [SEED_DOMAIN, id, index]));
  return BigInt(h.slice(0, 18));
}

/** Checks one processed input against its expectation; returns a problem description or null. */
function judge(input: DumpedInput | undefined, e: Expectation): string | null {
  if (!input) return 'missing from GraphQL';
  if (e.accept) {
    if (input.status !== 'ACCEPTED')
      return `expected ACCEPTED, got ${input.status} ${input.reports.edges.map((r) => JSON.stringify(reportJson(r.node.payload))).join(' ')}`;
    if (input.notices.totalCount !== 2 || input.vouchers.totalCount !== 2)
      return `expected 2 notices + 2 vouchers, got ${input.notices.totalCount} + ${input.vouchers.totalCount}`;
    const d = e.decoded;
    const promptIds = engine.encode(d.prompt);
    for (const k of [0, 1]) {
      const notice = reportJson(input.notices.edges[k]!.node.payload);
      const voucher = input.vouchers.edges[k]!.node;
      if (voucher.destination!.toLowerCase() !== TT.toLowerCase())
        return `voucher ${k} goes to ${voucher.destination}, not TrustAndTeach`;
      const call = ttIface.parseTransaction({ data: voucher.payload });
      if (call?.name !== 'postResponse') return `voucher ${k} calls ${call?.name}`;
      const [cid, ri, text, mh, seed, steps, t, p] = call.args.toArray() as [
        bigint,
        bigint,
        string,
        string,
        bigint,
        bigint,
        bigint,
        bigint,
      ];
      const want = {
        conversationId: d.id.toString(),
        responseIndex: k,
        seed: seedFor(d.id, k).toString(),
        steps: Number(d.steps),
        temperatureMilli: Number(d.temperatureMilli),
        topPMilli: Number(d.topPMilli),
        modelHash: devnet.deployments.model.hash,
      };
      const got = {
        conversationId: notice.conversationId,
        responseIndex: notice.responseIndex,
        seed: notice.seed,
        steps: notice.steps,
        temperatureMilli: notice.temperatureMilli,
        topPMilli: notice.topPMilli,
        modelHash: notice.modelHash,
      };
      if (JSON.stringify(got) !== JSON.stringify(want))
        return `notice ${k} fields ${JSON.stringify(got)} != ${JSON.stringify(want)}`;
      const gotV = [cid.toString(), Number(ri), seed.toString(), Number(steps), Number(t), Number(p), mh];
      const wantV = [
        want.conversationId,
        k,
        want.seed,
        want.steps,
        want.temperatureMilli,
        want.topPMilli,
        want.modelHash,
      ];
      if (JSON.stringify(gotV) !== JSON.stringify(wantV))
        return `voucher ${k} args ${JSON.stringify(gotV)} != ${JSON.stringify(wantV)}`;
      if (hexlify(text) !== notice.textHex)
        return `voucher ${k} text ${hexlify(text)} != notice textHex ${notice.textHex}`;
      if (JSON.stringify(notice.tokens.slice(0, promptIds.length)) !== JSON.stringify(promptIds))
        return `notice ${k} tokens do not start with the prompt's`;
      if (notice.tokens.length > Number(d.steps) + 1)
        return `notice ${k} has ${notice.tokens.length} tokens for ${d.steps} steps`;
    }
    return null;
  }
  if (input.status !== 'REJECTED') return `expected REJECTED (${[...e.codes]}), got ${input.status}`;
  if (input.notices.totalCount || input.vouchers.totalCount) return 'a rejected input has outputs';
  if (input.reports.totalCount !== 1) return `expected one report, got ${input.reports.totalCount}`;
  const r = reportJson(input.reports.edges[0]!.node.payload);
  if (r.type !== 'error' || !e.codes.has(r.code))
    return `report ${JSON.stringify(r).slice(0, 300)} not one of ${[...e.codes]}`;
  if (typeof r.message !== 'string' || r.message.length < 10)
    return `report without a useful message: ${JSON.stringify(r)}`;
  return null;
}

function tally(stats: SuiteStats, problems: string[], e: Expectation, problem: string | null, label: string) {
  stats.tried++;
  if (problem) {
    stats.unexpected++;
    if (problem === 'missing from GraphQL') stats.lost++;
    problems.push(`${label}: ${problem}`);
  } else if (e.accept) stats.accepted++;
  else stats.rejectedAsExpected++;
}

describe.skipIf(!run)(`bad input end to end${skipNote}`, () => {
  it(`${FUZZ_INPUTS} generated payloads through the real InputBox: each rejected with a report (or accepted exactly as specified), the backend never dies`, async () => {
    const t0 = Date.now();
    const stranger = account(devnet.rpcUrl, 5).address;
    await impersonate(provider, TT);
    await impersonate(provider, stranger);
    const cases = fc.sample(caseArb, { numRuns: FUZZ_INPUTS, seed: SEED });
    const { InputBox, CartesiDApp } = devnet.deployments.contracts;
    const countTokens = (p: Uint8Array) => engine.encode(p).length;
    const first = sent.length;
    let next = (await inputAddedEvents(provider, InputBox, CartesiDApp)).length;
    for (let i = 0; i < cases.length; i += BATCH) {
      const batch = cases.slice(i, i + BATCH);
      await addInputsInOneBlock(
        provider,
        InputBox,
        CartesiDApp,
        batch.map((c) => ({ from: c.from === 'tt' ? TT : stranger, payload: c.payload })),
      );
      phase(`fuzz: batch ${i / BATCH} mined`);
      for (const c of batch)
        sent.push({
          index: next++,
          label: `${c.label} ${c.payload.slice(0, 120)}`,
          expect: expectOutcome({
            fromTrustAndTeach: c.from === 'tt',
            payload: c.payload,
            seqLen,
            countTokens,
          }),
        });
    }
    phase(`fuzz: ${cases.length} inputs sent`);
    await devnet.settled(240_000);
    phase('fuzz: settled');
    fuzzStats.durationMs += Date.now() - t0;
    const dump = new Map((await dumpInputs(devnet.graphqlUrl)).map((d) => [d.index, d]));
    const problems: string[] = [];
    for (const s of sent.slice(first))
      tally(fuzzStats, problems, s.expect, judge(dump.get(s.index), s.expect), s.label);
    for (const s of sent.slice(first)) if ((env.processedCount.get(s.index) ?? 0) > 1) fuzzStats.duplicates++;
    fuzzStats.crashes = backendCrashes();
    fuzzStats.notes = `seed ${SEED}, ${BATCH} inputs per block, stories260K`;
    expect(problems, problems.slice(0, 10).join('\n')).toEqual([]);
    expect(fuzzStats.crashes, 'backend deaths').toBe(0);
    expect(devnet.node.backend!.pid).toBe(backendPid);
    expect(fuzzStats.duplicates).toBe(0);
  });

  it(`${HUGE_INPUTS} payload(s) near the 2 MiB input limit are rejected, and one over the limit never reaches the node`, async () => {
    const t0 = Date.now();
    const { InputBox, CartesiDApp } = devnet.deployments.contracts;
    await impersonate(provider, TT);
    await provider.send('evm_setBlockGasLimit', [toBeHex(1_000_000_000)]);
    // the InputBox limit applies to the whole encoded input (payload + about 0x120 bytes of metadata)
    const near = 2 * 1024 * 1024 - 64 - 0x200;
    // built by hand (ethers takes seconds per megabyte), and judged by construction (the oracle's ethers decoder too)
    const huge: { label: string; payload: string; codes: string[] }[] = [
      {
        label: '2 MiB prompt field',
        payload: rawPromptPayload(near - 0x100, 0x41, 24),
        codes: ['prompt-too-long'],
      },
      {
        label: '2 MiB random bytes',
        payload: hexlify(Uint8Array.from({ length: near }, (_, i) => (i * 7919) & 0xff)),
        codes: ['bad-payload'],
      },
      {
        label: '2 MiB invalid UTF-8 prompt',
        payload: rawPromptPayload(near - 0x100, 0xff, 512),
        codes: ['prompt-too-long'],
      },
      {
        label: '1 MiB prompt with a 2^255 length word',
        payload: withLengthWord(rawPromptPayload(1 << 20, 0x42, 24), 1n << 255n),
        codes: ['bad-payload'],
      },
    ].slice(0, HUGE_INPUTS);
    let next = (await inputAddedEvents(provider, InputBox, CartesiDApp)).length;
    const first = sent.length;
    for (const h of huge) {
      await addInputsInOneBlock(provider, InputBox, CartesiDApp, [{ from: TT, payload: h.payload }]);
      sent.push({ index: next++, label: h.label, expect: { accept: false, codes: new Set(h.codes) } });
    }
    // one byte past the limit: the InputBox itself refuses it
    await expect(
      addInputsInOneBlock(provider, InputBox, CartesiDApp, [
        { from: TT, payload: hexlify(new Uint8Array(2 * 1024 * 1024)) },
      ]),
    ).rejects.toThrow();
    await devnet.settled(120_000);
    fuzzStats.durationMs += Date.now() - t0;
    const problems: string[] = [];
    for (const s of sent.slice(first)) {
      const d = await dumpOne(s.index);
      tally(fuzzStats, problems, s.expect, judge(d, s.expect), s.label);
    }
    expect(problems).toEqual([]);
    expect(backendCrashes()).toBe(0);
  });

  it('a valid prompt afterwards is accepted with two notices and two vouchers, which execute', async () => {
    const alice = account(devnet.rpcUrl, 1);
    const tt = new Contract(TT, ttIface, alice.wallet);
    const receipt = await (await tt.getFunction('sendPrompt(string,uint32)')('Once upon a time', 24)).wait();
    const index = Number(
      receipt.logs
        .map((l: any) => {
          try {
            return ttIface.parseLog(l);
          } catch {
            return null;
          }
        })
        .find((p: any) => p?.name === 'PromptSubmitted')!.args.inputIndex,
    );
    await devnet.settled(60_000);
    const d = (await dumpOne(index))!;
    expect(d.status).toBe('ACCEPTED');
    expect([d.notices.totalCount, d.vouchers.totalCount]).toEqual([2, 2]);
    const dapp = new Contract(
      devnet.deployments.contracts.CartesiDApp,
      CartesiDApp__factory.abi,
      alice.wallet,
    );
    for (const v of d.vouchers.edges)
      await (
        await dapp.getFunction('executeVoucher')(v.node.destination, v.node.payload, v.node.proof)
      ).wait();
    const c = await tt.getFunction('getConversation')(0n);
    expect(Number(c.responsesPosted)).toBe(2);
    alice.destroy();
    expect(backendCrashes()).toBe(0);
  });
});

/** prompt(0, <n bytes of fill>, steps, 800, 900) in its canonical ABI encoding, built without ethers. */
function rawPromptPayload(n: number, fill: number, steps: number): string {
  const padded = Math.ceil(n / 32) * 32;
  const b = Buffer.alloc(4 + 6 * 32 + padded);
  Buffer.from(inputIface.getFunction('prompt')!.selector.slice(2), 'hex').copy(b, 0);
  const setWord = (i: number, v: bigint) => Buffer.from(toBeHex(v, 32).slice(2), 'hex').copy(b, 4 + 32 * i);
  setWord(1, 0xa0n);
  setWord(2, BigInt(steps));
  setWord(3, 800n);
  setWord(4, 900n);
  setWord(5, BigInt(n));
  b.fill(fill, 4 + 6 * 32, 4 + 6 * 32 + n);
  return '0x' + b.toString('hex');
}

function withLengthWord(payload: string, length: bigint): string {
  return (
    payload.slice(0, 2 + 2 * (4 + 5 * 32)) +
    toBeHex(length, 32).slice(2) +
    payload.slice(2 + 2 * (4 + 6 * 32))
  );
}

async function dumpOne(index: number): Promise<DumpedInput | undefined> {
  const all = await dumpInputs(devnet.graphqlUrl);
  return all.find((d) => d.index === index);
}

describe.skipIf(!run)(`load${skipNote}`, () => {
  it(`${LOAD_ACCOUNTS} accounts x ${LOAD_PER_ACCOUNT} prompts at once: each processed once, in InputBox order, every voucher executes, the export has every conversation`, async () => {
    const { InputBox, CartesiDApp } = devnet.deployments.contracts;
    const before = (await inputAddedEvents(provider, InputBox, CartesiDApp)).length;
    const users = Array.from({ length: LOAD_ACCOUNTS }, (_, i) => account(devnet.rpcUrl, 6 + i));
    const minedAt = new Map<number, number>();
    const conversationIds: bigint[] = [];
    const t0 = Date.now();
    // readers keep inspecting while the prompts are processed (inspects go ahead of queued advances)
    let loading = true;
    const inspects: Promise<string>[] = [];
    const inspector = (async () => {
      for (let k = 0; loading || k < 5; k++) {
        const path = k % 2 ? 'info' : `junk-${k}`;
        inspects.push(
          httpRequest(`${devnet.inspectUrl}/${path}`)
            .then((r) =>
              r.status === 200 ? reportJson(JSON.parse(r.text).reports[0].payload).type : `HTTP ${r.status}`,
            )
            .catch((e: Error) => `failed: ${e.message} (${String((e as { code?: string }).code)})`),
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await Promise.all(
      users.map(async (u, ui) => {
        const tt = new Contract(TT, ttIface, u.wallet);
        // every account sends its prompts back to back without waiting for the node
        const txs = [];
        for (let k = 0; k < LOAD_PER_ACCOUNT; k++) {
          const prompt = `Account ${ui} prompt ${k}: Once upon a time`;
          txs.push(
            await tt.getFunction('sendPrompt(string,uint32,uint32,uint32)')(
              prompt,
              64 + (k % 8),
              700 + ui,
              900,
            ),
          );
        }
        for (const tx of txs) {
          const r = await tx.wait();
          const ev = r.logs
            .map((l: any) => {
              try {
                return ttIface.parseLog(l);
              } catch {
                return null;
              }
            })
            .find((p: any) => p?.name === 'PromptSubmitted');
          minedAt.set(Number(ev.args.inputIndex), Date.now());
          conversationIds.push(ev.args.conversationId);
        }
      }),
    );
    await devnet.settled(300_000);
    const processedMs = Date.now() - t0;
    loading = false;
    await inspector;
    const answers = await Promise.all(inspects);
    expect(answers.filter((a, k) => a !== (k % 2 ? 'info' : 'error'))).toEqual([]);
    const n = LOAD_ACCOUNTS * LOAD_PER_ACCOUNT;
    loadStats.tried = n;
    loadStats.durationMs = processedMs;

    // exactly once, in InputBox order
    const events = (await inputAddedEvents(provider, InputBox, CartesiDApp)).slice(before);
    expect(events).toHaveLength(n);
    const dump = (await dumpInputs(devnet.graphqlUrl)).slice(before);
    expect(dump.map((d) => d.index)).toEqual(events.map((e) => e.index));
    expect(dump.map((d) => [d.msgSender.toLowerCase(), d.payload])).toEqual(
      events.map((e) => [e.sender, e.payload]),
    );
    for (const e of events) {
      const c = env.processedCount.get(e.index) ?? 0;
      if (c === 0) loadStats.lost++;
      if (c > 1) loadStats.duplicates++;
    }
    const order = events.map((e) => env.processedAt.get(e.index) ?? Infinity);
    for (let i = 1; i < order.length; i++)
      expect(order[i]!, 'processed in InputBox order').toBeGreaterThanOrEqual(order[i - 1]!);
    for (const d of dump) {
      expect(d.status).toBe('ACCEPTED');
      expect([d.notices.totalCount, d.vouchers.totalCount]).toEqual([2, 2]);
      loadStats.accepted++;
    }
    loadStats.longestQueueWaitMs = Math.max(
      ...events.map((e) => (env.processedAt.get(e.index) ?? Infinity) - (minedAt.get(e.index) ?? 0)),
    );

    // every voucher executes (through @tt/client, spread over the accounts)
    const vouchers = dump.flatMap((d) => d.vouchers.edges.map((v) => ({ inputIndex: d.index, v: v.node })));
    await Promise.all(
      users.map(async (u, ui) => {
        for (const [k, x] of vouchers.entries()) {
          if (k % users.length !== ui) continue;
          const r = await executeVoucher({
            dapp: CartesiDApp,
            signer: u.wallet as never,
            inputIndex: x.inputIndex,
            voucher: {
              index: x.v.index,
              destination: x.v.destination!,
              payload: x.v.payload,
              proof: x.v.proof as never,
            } as never,
          });
          expect(r.status).toBe('executed');
        }
      }),
    );

    // the export has every conversation, with the notices' exact bytes
    const tt = trustAndTeach(TT, provider as never);
    const conversations = await readConversations({
      contract: tt,
      provider: provider as never,
      fromBlock: devnet.deployments.trustAndTeachDeploymentBlock,
    });
    const { rows, incomplete } = buildDatasetRows(conversations);
    const exported = new Map(rows.map((r) => [r.conversationId, r]));
    for (const id of conversationIds) {
      const row = exported.get(id.toString());
      if (!row) loadStats.lost++;
      expect(row, `conversation ${id} in the export`).toBeDefined();
    }
    expect(incomplete.filter((id) => conversationIds.some((c) => c.toString() === id))).toEqual([]);
    for (const d of dump) {
      const notices = d.notices.edges.map((e) => reportJson(e.node.payload));
      const row = exported.get(notices[0].conversationId)!;
      expect([row.chosen, row.rejected].map((c) => c.hex ?? hexlify(toUtf8Bytes(c.text)))).toEqual(
        notices.map((x) => x.textHex),
      );
      expect(row.prompt.text).toMatch(/^Account \d+ prompt \d+: Once upon a time$/);
      expect(hexlify(getBytes(strictDecode(d.payload)!.prompt))).toBe(
        row.prompt.hex ?? hexlify(toUtf8Bytes(row.prompt.text)),
      );
    }
    loadStats.crashes = backendCrashes();
    loadStats.notes = `${LOAD_ACCOUNTS} accounts x ${LOAD_PER_ACCOUNT} prompts, 64..71 steps, stories260K; ${answers.length} inspects answered meanwhile; ${vouchers.length} vouchers executed`;
    users.forEach((u) => u.destroy());
    expect(loadStats.lost).toBe(0);
    expect(loadStats.duplicates).toBe(0);
    expect(loadStats.crashes).toBe(0);
  });
});

describe.skipIf(!run)(`the node's HTTP APIs under junk${skipNote}`, () => {
  it('malformed rollup API calls, junk GraphQL and random inspect payloads: 4xx or a report, the node and the backend live on', async () => {
    const t0 = Date.now();
    const base = devnet.nodeUrl;
    const rollupRoutes = ['finish', 'voucher', 'notice', 'report', 'exception'];
    const junkBodies = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json({ maxDepth: 3 }),
        fc.constantFrom(
          '{"status":"maybe"}',
          '{"status":null}',
          '{"payload":"0x1"}',
          '{"payload":"0xzz"}',
          '{"destination":"0x12","payload":"0x"}',
          '[]',
          'null',
          '{',
          '\u0000',
        ),
      ),
      { numRuns: sized('TT_JUNK_REQUESTS', 60, 600), seed: SEED },
    );
    const problems: string[] = [];
    for (const [i, body] of junkBodies.entries()) {
      const route = rollupRoutes[i % rollupRoutes.length]!;
      // a syntactically valid /finish from a stranger would be taken for the backend's (host mode has no auth, like
      // the real node's rollup API inside the machine): only malformed ones are sent here
      if (route === 'finish' && /"status"\s*:\s*"(accept|reject)"/.test(body)) continue;
      fuzzJunk.tried++;
      const res = await fetch(`${base}/host-runner/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).catch((e: Error) => ({ status: -1, e }));
      if (route === 'finish' && res.status === 202) {
        fuzzJunk.rejectedAsExpected++;
        continue;
      }
      if (res.status >= 400 && res.status < 500) fuzzJunk.rejectedAsExpected++;
      else {
        fuzzJunk.unexpected++;
        problems.push(`POST /host-runner/${route} ${JSON.stringify(body).slice(0, 80)} → ${res.status}`);
      }
    }
    // an oversized body and wrong methods
    for (const [method, path, body] of [
      ['POST', '/host-runner/notice', 'x'.repeat(17 * 1024 * 1024)],
      ['GET', '/host-runner/voucher', undefined],
      ['PUT', '/graphql', '{}'],
      ['POST', '/host-runner/nope', '{}'],
    ] as const) {
      fuzzJunk.tried++;
      const res = await fetch(`${base}${path}`, { method, body }).catch(() => ({ status: -1 }));
      if (res.status >= 400 && res.status < 500) fuzzJunk.rejectedAsExpected++;
      else if (res.status === -1 && path === '/host-runner/notice')
        fuzzJunk.rejectedAsExpected++; // connection cut after 413
      else {
        fuzzJunk.unexpected++;
        problems.push(`${method} ${path} → ${res.status}`);
      }
    }
    // junk GraphQL: errors, never a dead server
    for (const q of fc.sample(
      fc.oneof(
        fc.string({ maxLength: 100 }),
        fc.constantFrom(
          '{ inputs(first: -1) { totalCount } }',
          '{ input(index: 99999999) { index } }',
          '{ inputs(after: "!!") { totalCount } }',
          '{ voucher(voucherIndex: 0, inputIndex: -5) { index } }',
          '{ __schema { types { name } } }',
        ),
      ),
      { numRuns: 30, seed: SEED },
    )) {
      fuzzJunk.tried++;
      const res = await fetch(devnet.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: q }),
      }).catch(() => ({ status: -1 }) as Response);
      if (res.status > 0 && res.status < 500) fuzzJunk.rejectedAsExpected++;
      else {
        fuzzJunk.unexpected++;
        problems.push(`GraphQL ${JSON.stringify(q).slice(0, 80)} → ${res.status}`);
      }
    }
    // random inspect payloads go to the backend: each answered (a report), never a crash
    for (const bytes of fc.sample(fc.uint8Array({ maxLength: 200 }), {
      numRuns: sized('TT_INSPECT_RUNS', 30, 300),
      seed: SEED,
    })) {
      fuzzJunk.tried++;
      const res = await fetch(`${devnet.inspectUrl}`, { method: 'POST', body: bytes }).catch(
        () => ({ status: -1 }) as Response,
      );
      const body =
        res.status === 200
          ? ((await res.json()) as { status: string; reports: { payload: string }[] })
          : null;
      if (body && body.reports.length >= 1 && reportJson(body.reports[0]!.payload).type === 'error')
        fuzzJunk.rejectedAsExpected++;
      else {
        fuzzJunk.unexpected++;
        problems.push(
          `inspect ${hexlify(bytes).slice(0, 40)} → ${res.status} ${JSON.stringify(body).slice(0, 200)}`,
        );
      }
    }
    fuzzJunk.durationMs = Date.now() - t0;
    fuzzJunk.crashes = backendCrashes();
    expect(problems, problems.slice(0, 10).join('\n')).toEqual([]);
    expect(backendCrashes()).toBe(0);
    expect(devnet.node.backend!.pid).toBe(backendPid);
    const info = (await (await fetch(`${devnet.inspectUrl}/info`)).json()) as {
      reports: { payload: string }[];
    };
    expect(reportJson(info.reports[0]!.payload).type).toBe('info');
  });
});

// ------------------------------------------------------------------------------------------ contract security
const NEW_APPLICATION_ABI = [
  'function newApplication(address authority, address dappOwner, bytes32 templateHash, bytes32 salt) returns (address)',
];

/** The revert's custom error name, decoded with TrustAndTeach's or CartesiDApp's ABI. */
function revertName(err: unknown): string {
  const e = err as { data?: string; info?: { error?: { data?: string } }; error?: { data?: string } };
  const data = e.data ?? e.info?.error?.data ?? e.error?.data;
  for (const iface of [ttIface, new Contract(ZERO, CartesiDApp__factory.abi).interface]) {
    try {
      const p = typeof data === 'string' ? iface.parseError(data) : null;
      if (p) return p.name;
    } catch {
      /* next */
    }
  }
  return `unknown revert (${String((err as Error).message).slice(0, 200)})`;
}
const ZERO = '0x0000000000000000000000000000000000000000';

describe.skipIf(!run)(`contract security${skipNote}`, () => {
  let fresh: { index: number; vouchers: DumpedInput['vouchers']['edges'] };
  let owner: string;

  beforeAll(async () => {
    if (!run) return;
    // a conversation whose vouchers nobody executed yet
    const alice = account(devnet.rpcUrl, 12);
    const tt = new Contract(TT, ttIface, alice.wallet);
    const r = await (await tt.getFunction('sendPrompt(string,uint32)')('A cat', 48)).wait();
    const ev = r.logs
      .map((l: any) => {
        try {
          return ttIface.parseLog(l);
        } catch {
          return null;
        }
      })
      .find((p: any) => p?.name === 'PromptSubmitted');
    await devnet.settled(60_000);
    const d = (await dumpOne(Number(ev.args.inputIndex)))!;
    expect(d.status).toBe('ACCEPTED');
    fresh = { index: d.index, vouchers: d.vouchers.edges };
    owner = await new Contract(TT, ttIface, provider).getFunction('owner')();
    alice.destroy();
  });

  const check = (name: string, ok: boolean) => {
    securityStats.tried++;
    if (ok) securityStats.rejectedAsExpected++;
    else securityStats.unexpected++;
    expect(ok, name).toBe(true);
  };

  async function callAs(from: string, data: string): Promise<string> {
    try {
      await provider.call({ from, to: TT, data });
      return 'ok';
    } catch (e) {
      return revertName(e);
    }
  }

  it('only the bound DApp posts responses: a stranger, the owner and another Cartesi DApp are refused', async () => {
    const payload = fresh.vouchers[0]!.node.payload;
    const { CartesiDApp } = devnet.deployments.contracts;
    check('the bound DApp may (positive control)', (await callAs(CartesiDApp, payload)) === 'ok');
    check('a stranger may not', (await callAs(account(devnet.rpcUrl, 13).address, payload)) === 'NotDApp');
    check('the owner may not', (await callAs(owner, payload)) === 'NotDApp');
    check('TrustAndTeach itself may not', (await callAs(TT, payload)) === 'NotDApp');
    // a stranger actually sending it
    const mallory = account(devnet.rpcUrl, 13);
    const sentErr = await mallory.wallet.sendTransaction({ to: TT, data: payload }).then(
      () => 'sent',
      (e) => revertName(e),
    );
    check("a stranger's transaction reverts", sentErr === 'NotDApp');
    mallory.destroy();
  });

  it('a voucher proven for a different Cartesi DApp cannot post: it executes there, and TrustAndTeach refuses the call', async () => {
    const { Authority, CartesiDApp } = devnet.deployments.contracts;
    const factoryAddress = (devnet.deployments.cartesi as Record<string, string>).CartesiDAppFactory!;
    const mallory = account(devnet.rpcUrl, 14);
    const factory = new Contract(factoryAddress, NEW_APPLICATION_ABI, mallory.wallet);
    const salt = keccak256(toUtf8Bytes('reliability: another dapp'));
    const other = await factory
      .getFunction('newApplication')
      .staticCall(Authority, mallory.address, ZERO_HASH32, salt);
    await (await factory.getFunction('newApplication')(Authority, mallory.address, ZERO_HASH32, salt)).wait();
    expect(other.toLowerCase()).not.toBe(CartesiDApp.toLowerCase());
    // the other application's epoch: one input with the very voucher TrustAndTeach's DApp emitted
    const voucher = fresh.vouchers[0]!.node;
    const { proofs } = await import('@tt/cartesi-node');
    const epoch = proofs.buildEpochProofs([
      { accepted: true, vouchers: [{ destination: TT, payload: voucher.payload }], notices: [] },
    ]);
    // the Authority's owner (account 0, the node's claimer, idle now) claims it for the other application
    const authorityOwner = await new Contract(Authority, Authority__factory.abi, provider).getFunction(
      'owner',
    )();
    await impersonate(provider, authorityOwner);
    const claimData = new Contract(Authority, Authority__factory.abi).interface.encodeFunctionData(
      'submitClaim',
      [proofs.encodeClaim(other, epoch.epochHash, 0, 0)],
    );
    const h = await provider.send('eth_sendTransaction', [
      { from: authorityOwner, to: Authority, data: claimData },
    ]);
    expect((await provider.waitForTransaction(h))!.status).toBe(1);
    const otherDApp = new Contract(other, CartesiDApp__factory.abi, mallory.wallet);
    const proof = { validity: epoch.vouchers[0]![0]!, context: proofs.encodeContext(0) };
    const ok = await otherDApp.getFunction('executeVoucher').staticCall(TT, voucher.payload, proof);
    check('the other DApp runs the voucher but its call to TrustAndTeach fails', ok === false);
    await (await otherDApp.getFunction('executeVoucher')(TT, voucher.payload, proof)).wait();
    const conv = ttIface.parseTransaction({ data: voucher.payload })!.args;
    const tt = new Contract(TT, ttIface, provider);
    check('nothing was posted', (await tt.getFunction('responseHash')(conv[0], conv[1])) === ZERO_HASH32);
    mallory.destroy();
  });

  it('a voucher executes once; a posted response cannot be replaced', async () => {
    const alice = account(devnet.rpcUrl, 12);
    const dapp = new Contract(
      devnet.deployments.contracts.CartesiDApp,
      CartesiDApp__factory.abi,
      alice.wallet,
    );
    for (const v of fresh.vouchers)
      await (
        await dapp.getFunction('executeVoucher')(v.node.destination, v.node.payload, v.node.proof)
      ).wait();
    for (const v of fresh.vouchers) {
      const again = await dapp
        .getFunction('executeVoucher')(v.node.destination, v.node.payload, v.node.proof)
        .then(
          () => 'executed again',
          (e) => revertName(e),
        );
      check('re-execution reverts', again === 'VoucherReexecutionNotAllowed');
      check(
        'marked executed',
        (await dapp.getFunction('wasVoucherExecuted')(fresh.index, v.node.index)) === true,
      );
    }
    // the bound DApp itself cannot overwrite a response with other bytes
    const call = ttIface.parseTransaction({ data: fresh.vouchers[0]!.node.payload })!;
    const [id, index, , modelHash, seed, steps, temperature, topP] = call.args.toArray() as [
      bigint,
      bigint,
      string,
      string,
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    const replaced = await callAs(
      devnet.deployments.contracts.CartesiDApp!,
      ttIface.encodeFunctionData('postResponse', [
        id,
        index,
        toUtf8Bytes('a different text'),
        modelHash,
        seed,
        steps,
        temperature,
        topP,
      ]),
    );
    check('responses are immutable', replaced === 'ResponseAlreadyPosted');
    alice.destroy();
  });

  it("rankings belong to their ranker: B ranking (and re-ranking) never changes A's", async () => {
    const id = ttIface.parseTransaction({ data: fresh.vouchers[0]!.node.payload })!.args[0] as bigint;
    const a = account(devnet.rpcUrl, 15);
    const b = account(devnet.rpcUrl, 16);
    const ttA = new Contract(TT, ttIface, a.wallet);
    const ttB = new Contract(TT, ttIface, b.wallet);
    await (await ttA.getFunction('submitRanking')(id, [1, 0])).wait();
    await (await ttB.getFunction('submitRanking')(id, [0, 1])).wait();
    await (await ttB.getFunction('submitRanking')(id, [1, 0])).wait();
    await (await ttB.getFunction('submitRanking')(id, [0, 1])).wait();
    const view = new Contract(TT, ttIface, provider);
    check(
      "A's ranking unchanged",
      JSON.stringify((await view.getFunction('rankingOf')(id, a.address)).map(Number)) === '[1,0]',
    );
    check(
      "B's ranking is B's latest",
      JSON.stringify((await view.getFunction('rankingOf')(id, b.address)).map(Number)) === '[0,1]',
    );
    check('two rankers', Number(await view.getFunction('rankingCount')(id)) === 2);
    // nobody but B can change B's: A's submission only ever writes A's slot
    await (await ttA.getFunction('submitRanking')(id, [0, 1])).wait();
    check(
      "B's ranking untouched by A",
      JSON.stringify((await view.getFunction('rankingOf')(id, b.address)).map(Number)) === '[0,1]',
    );
    a.destroy();
    b.destroy();
  });

  it('after all the fuzzing, every voucher the backend ever emitted goes to TrustAndTeach', async () => {
    const vs = await allVouchers(devnet.graphqlUrl);
    expect(vs.length).toBeGreaterThan(0);
    const elsewhere = vs.filter((v) => v.destination.toLowerCase() !== TT.toLowerCase());
    check(
      `${vs.length} vouchers, none elsewhere (${elsewhere.map((v) => v.destination).join(',')})`,
      elsewhere.length === 0,
    );
  });

  it('the chain, the node and the UI dev server bind 127.0.0.1 by default', async () => {
    const ports = [new URL(devnet.rpcUrl).port, new URL(devnet.nodeUrl).port].map(Number);
    const listening = listeningSockets();
    for (const port of ports) {
      const mine = listening.filter((l) => l.port === port);
      check(`something listens on ${port}`, mine.length > 0);
      check(
        `port ${port} listens only on 127.0.0.1 (${mine.map((m) => m.address).join(', ')})`,
        mine.every((m) => m.address === '127.0.0.1'),
      );
    }
    // the UI: `pnpm dev` runs Vite with this config
    const vite = readFileSync(join(repoRoot, 'frontend', 'vite.config.ts'), 'utf8');
    check('vite dev server host 127.0.0.1', /server:\s*\{[^}]*host:\s*'127\.0\.0\.1'/.test(vite));
    check('vite preview host 127.0.0.1', /preview:\s*\{[^}]*host:\s*'127\.0\.0\.1'/.test(vite));
    const scripts = JSON.parse(readFileSync(join(repoRoot, 'frontend', 'package.json'), 'utf8'))
      .scripts as Record<string, string>;
    for (const name of ['dev', 'preview'])
      check(
        `frontend ${name} script binds 127.0.0.1 (${scripts[name]})`,
        /--host 127\.0\.0\.1\b/.test(scripts[name] ?? '') &&
          !/--host (0\.0\.0\.0|::)/.test(scripts[name] ?? ''),
      );
  });

  it('no secret in the devnet and backend logs, nor in a CLI run with TT_PRIVATE_KEY', async () => {
    // the CLI, signing with a fresh funded key given only through the environment
    const key = HDNodeWallet.createRandom();
    await provider.send('hardhat_setBalance', [key.address, toBeHex(10n ** 20n)]);
    const tt = join(repoRoot, 'packages', 'cli', 'bin', 'tt.js');
    const cliEnv = { ...process.env, TT_PRIVATE_KEY: key.privateKey };
    const outputs: string[] = [];
    for (const args of [
      ['prompt', 'Once upon a time', '--steps', '48', '--deployments', devnet.deploymentsPath],
      ['prompt', 'Once upon a time', '--steps', '48', '--deployments', devnet.deploymentsPath, '--json'],
      ['prompt', '', '--deployments', devnet.deploymentsPath], // an error path
      ['rank', '999999', '0,1', '--deployments', devnet.deploymentsPath], // a revert path
      ['prompt', 'x', '--rpc', 'http://127.0.0.1:9', '--deployments', devnet.deploymentsPath], // nothing listening
    ]) {
      const r = await run$(process.execPath, [tt, ...args], cliEnv);
      outputs.push(r);
    }
    const cliText = outputs.join('\n');
    expect(cliText).toMatch(/conversation|input/i); // the CLI did run
    await devnet.settled(60_000);
    const logText = env.logs.join('\n');
    const texts: [string, string][] = [
      ['devnet + backend logs', logText],
      ['CLI output', cliText],
    ];
    for (const [where, text] of texts) {
      const lower = text.toLowerCase();
      for (const secret of [PLANTED.privateKey, key.privateKey])
        check(
          `${where}: a private key from the environment is not printed`,
          !lower.includes(secret.slice(2).toLowerCase()),
        );
      check(
        `${where}: the planted mnemonic is not printed`,
        !lower.includes(PLANTED.mnemonic.split(' ').slice(0, 4).join(' ')),
      );
      const phrases = mnemonicLike(text).filter((m) => m !== DEVNET_MNEMONIC);
      check(`${where}: no mnemonic but the public test one (${phrases.join(' | ')})`, phrases.length === 0);
    }
  });
});

const ZERO_HASH32 = '0x' + '0'.repeat(64);

function run$(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { env, timeout: 120_000, cwd: repoRoot, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        resolve(`${stdout}\n${stderr}\n${err ? `exit ${(err as { code?: unknown }).code}` : 'exit 0'}`),
    );
  });
}

/** Runs of 12 or more BIP-39 English words in a row. */
function mnemonicLike(text: string): string[] {
  const list = wordlists.en!;
  const words = text.toLowerCase().split(/[^a-z]+/);
  const out: string[] = [];
  let run: string[] = [];
  for (const w of [...words, '']) {
    if (w && list.getWordIndex(w) >= 0) run.push(w);
    else {
      if (run.length >= 12) out.push(run.join(' '));
      run = [];
    }
  }
  return out;
}

/** Listening TCP sockets from /proc/net/tcp and tcp6: address and port. */
function listeningSockets(): { address: string; port: number }[] {
  const out: { address: string; port: number }[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // LISTEN
      const [hex, portHex] = f[1]!.split(':') as [string, string];
      let address: string;
      if (hex.length === 8)
        address = [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
      else if (hex === '00000000000000000000000000000000') address = '::';
      else if (hex === '0000000000000000FFFF00000100007F') address = '127.0.0.1';
      else if (hex === '00000000000000000000000001000000') address = '::1';
      else address = hex;
      out.push({ address, port: parseInt(portHex, 16) });
    }
  }
  return out;
}

describe.skipIf(!run)(`the whole run${skipNote}`, () => {
  it('the node holds exactly the InputBox events (index, sender, payload bytes), each input processed once', async () => {
    await devnet.settled(120_000);
    const { InputBox, CartesiDApp } = devnet.deployments.contracts;
    const events = await inputAddedEvents(provider, InputBox, CartesiDApp);
    const dump = await dumpInputs(devnet.graphqlUrl);
    expect(dump.map((d) => [d.index, d.msgSender.toLowerCase(), d.payload])).toEqual(
      events.map((e) => [e.index, e.sender, e.payload]),
    );
    expect(dump.filter((d) => d.status === 'UNPROCESSED')).toEqual([]);
    const twice = [...env.processedCount].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
    expect(env.processedCount.size).toBe(events.length);
    expect(backendCrashes()).toBe(0);
  });
});

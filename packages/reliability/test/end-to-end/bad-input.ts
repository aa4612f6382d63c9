// Bad input end to end: fast-check generated payloads (random bytes, truncated ABI, wrong selector, broken
// offsets/lengths, trailing bytes, out-of-range fields, invalid UTF-8, control characters, prompts past the context,
// other senders) sent through the real InputBox, many per block, from the TrustAndTeach address itself (impersonated,
// so the backend decodes them) and from strangers; plus a few payloads near the 2 MiB input limit. Every input ends
// as the oracle (src/oracle.ts) says: REJECTED with one error report with an allowed code (or, for a decodable prompt
// refused for a reason of its own, ACCEPTED with that report and one rejectPrompt voucher), or ACCEPTED with two
// notices and two vouchers to TrustAndTeach that carry the same bytes. The backend process never dies, and a valid
// prompt afterwards works.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, getBytes, hexlify, toBeHex, toUtf8Bytes } from 'ethers';
import { CartesiDApp__factory } from '@tt/cartesi-v1';
import { loadEngine, type Engine } from '@tt/llm';
import { deriveSeed, rejectionReasonCode, type RejectCode } from '@tt/protocol';
import { emptyStats, recordStats, type SuiteStats } from '../../src/stats.ts';
import { modelFiles } from '../../src/models.ts';
import {
  account,
  addInputsInOneBlock,
  dumpInputs,
  impersonate,
  inputAddedEvents,
  inputIface,
  postResponseArgs,
  promptPayload,
  promptSubmitted,
  reportJson,
  ttIface,
  type DumpedInput,
} from '../../src/devnet.ts';
import { expectOutcome, withTrailing, type Expectation } from '../../src/oracle.ts';
import {
  BATCH,
  FUZZ_INPUTS,
  HUGE_INPUTS,
  SEED,
  TT,
  backendCrashes,
  backendPid,
  devnet,
  dumpOne,
  env,
  phase,
  provider,
  run,
  seqLen,
  skipNote,
} from './context.ts';

const fuzzStats = emptyStats('bad input end to end');
let engine: Engine;
/** Every input this suite sent and what must become of it. */
const sent: { index: number; label: string; expect: Expectation }[] = [];

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
      const args = postResponseArgs(voucher.payload);
      if (!args) return `voucher ${k} calls ${ttIface.parseTransaction({ data: voucher.payload })?.name}`;
      const { conversationId: cid, responseIndex: ri, text, modelHash: mh, seed, steps } = args;
      const [t, p] = [args.temperatureMilli, args.topPMilli];
      const want = {
        conversationId: d.id.toString(),
        responseIndex: k,
        seed: deriveSeed(d.id, k).toString(),
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
  if (input.reports.totalCount !== 1) return `expected one report, got ${input.reports.totalCount}`;
  const r = reportJson(input.reports.edges[0]!.node.payload);
  if (r.type !== 'error' || !e.codes.has(r.code))
    return `report ${JSON.stringify(r).slice(0, 300)} not one of ${[...e.codes]}`;
  if (typeof r.message !== 'string' || r.message.length < 10)
    return `report without a useful message: ${JSON.stringify(r)}`;
  if (e.recorded) {
    // the prompt's own fault: accepted, so that its one voucher can record the rejection on chain
    if (input.status !== 'ACCEPTED')
      return `expected ACCEPTED with a rejectPrompt voucher (${r.code}), got ${input.status}`;
    if (input.notices.totalCount || input.vouchers.totalCount !== 1)
      return `expected 0 notices + 1 voucher, got ${input.notices.totalCount} + ${input.vouchers.totalCount}`;
    const v = input.vouchers.edges[0]!.node;
    if (v.destination!.toLowerCase() !== TT.toLowerCase())
      return `the rejection voucher goes to ${v.destination}`;
    const call = ttIface.parseTransaction({ data: v.payload });
    const want = [e.recorded.id, BigInt(rejectionReasonCode(r.code) ?? -1)];
    if (call?.name !== 'rejectPrompt' || call.args[0] !== want[0] || call.args[1] !== want[1])
      return `the voucher is ${call?.name}(${call?.args.join(', ')}), not rejectPrompt(${want.join(', ')})`;
    return null;
  }
  if (input.status !== 'REJECTED') return `expected REJECTED (${[...e.codes]}), got ${input.status}`;
  if (input.notices.totalCount || input.vouchers.totalCount) return 'a rejected input has outputs';
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
  beforeAll(async () => {
    engine = await loadEngine({
      checkpoint: new Uint8Array(readFileSync(modelFiles.checkpoint)),
      tokenizer: new Uint8Array(readFileSync(modelFiles.tokenizer)),
      backend: 'scalar',
    });
  });
  afterAll(() => {
    engine?.dispose();
    if (fuzzStats.tried) recordStats(fuzzStats);
  });

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
    const candidates: { label: string; payload: string; codes: RejectCode[] }[] = [
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
    ];
    const huge = candidates.slice(0, HUGE_INPUTS);
    let next = (await inputAddedEvents(provider, InputBox, CartesiDApp)).length;
    const first = sent.length;
    for (const h of huge) {
      await addInputsInOneBlock(provider, InputBox, CartesiDApp, [{ from: TT, payload: h.payload }]);
      // a payload that decodes (conversation id word 0 is zero) is a prompt: its rejection is recorded on chain
      const recorded = h.codes.includes('bad-payload')
        ? undefined
        : { id: 0n, prompt: new Uint8Array(), steps: 0n, temperatureMilli: 0n, topPMilli: 0n };
      sent.push({
        index: next++,
        label: h.label,
        expect: { accept: false, codes: new Set(h.codes), recorded },
      });
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
    const index = promptSubmitted(receipt).inputIndex;
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

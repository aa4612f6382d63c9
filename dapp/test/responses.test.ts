// The responses themselves, through the devnet: the same input gives the same bytes (seeds come from the input
// alone), the two responses of a prompt differ when sampling, SIMD and scalar engines inside the backend give the
// same notices and vouchers bit for bit, and every field of the notice and the voucher is what docs/interfaces.md says.
import { TrustAndTeach__factory } from '@tt/contracts';
import { ENGINE_VERSION, simdSupported } from '@tt/llm';
import { Contract, getBytes, Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSeed } from '@tt/protocol';
import {
  account,
  haveModel,
  modelNote,
  outcome,
  promptPayload,
  startInProcessBackend,
  startTestDevnet,
  type InputOutcome,
  type TestDevnet,
} from './harness.ts';

const sampled = promptPayload({
  id: 5n,
  prompt: 'Once upon a time',
  steps: 72,
  temperatureMilli: 1000,
  topPMilli: 950,
});
const greedy = promptPayload({
  id: 6n,
  prompt: 'The little dog',
  steps: 40,
  temperatureMilli: 0,
  topPMilli: 900,
});
const tt = new Interface(TrustAndTeach__factory.abi);

/** A notice without the one field that legitimately differs between two inputs carrying the same payload. */
const sansInputIndex = (n: Record<string, unknown>) => ({ ...n, inputIndex: undefined });

describe.skipIf(!haveModel)(`responses${modelNote}`, () => {
  let devnet: TestDevnet;
  let trusted: ReturnType<typeof account>;
  const simd: Record<'sampled' | 'again' | 'greedy', InputOutcome> = {} as never;
  const scalar: Record<'sampled' | 'greedy', InputOutcome> = {} as never;
  let simdBackend = '';

  beforeAll(async () => {
    devnet = await startTestDevnet();
    trusted = account(devnet, 3);
    // first backend: SIMD where this runtime has it ('auto' would pick it too)
    const first = startInProcessBackend(devnet, {
      contract: trusted.address,
      engineBackend: simdSupported() ? 'simd' : 'scalar',
    });
    const i0 = await trusted.addInput(sampled);
    const i1 = await trusted.addInput(sampled);
    const i2 = await trusted.addInput(greedy);
    await devnet.settled(60_000);
    simdBackend = (await first.backend.start()).backend;
    await first.stop();
    // second backend: scalar, on the same node, for the same payloads
    const second = startInProcessBackend(devnet, { contract: trusted.address, engineBackend: 'scalar' });
    const i3 = await trusted.addInput(sampled);
    const i4 = await trusted.addInput(greedy);
    await devnet.settled(60_000);
    expect((await second.backend.start()).backend).toBe('scalar');
    await second.stop();
    Object.assign(simd, {
      sampled: await outcome(devnet, i0),
      again: await outcome(devnet, i1),
      greedy: await outcome(devnet, i2),
    });
    Object.assign(scalar, { sampled: await outcome(devnet, i3), greedy: await outcome(devnet, i4) });
  }, 120_000);

  afterAll(async () => {
    trusted?.destroy();
    await devnet?.stop();
  });

  it('accepts each prompt with notice 0, voucher 0, notice 1, voucher 1', () => {
    for (const o of [simd.sampled, simd.again, simd.greedy, scalar.sampled, scalar.greedy]) {
      expect(o.status).toBe('ACCEPTED');
      expect(o.notices.map((n) => n.responseIndex)).toEqual([0, 1]);
      expect(o.vouchers).toHaveLength(2);
      expect(o.reports).toHaveLength(0);
    }
  });

  it('gives the same responses for the same input (seeds depend on the input only)', () => {
    expect(simd.again.notices.map(sansInputIndex)).toEqual(simd.sampled.notices.map(sansInputIndex));
    expect(simd.again.vouchers).toEqual(simd.sampled.vouchers);
  });

  it('gives two different responses to one prompt when sampling', () => {
    const [a, b] = simd.sampled.notices;
    expect(a!.seed).not.toBe(b!.seed);
    expect(a!.textHex).not.toBe(b!.textHex);
  });

  it('gives two identical responses to one prompt at temperature 0, whatever the seeds', () => {
    const [a, b] = simd.greedy.notices;
    expect(a!.seed).not.toBe(b!.seed);
    expect(a!.tokens).toEqual(b!.tokens);
  });

  it(`gives bit-identical notices and vouchers with the SIMD and the scalar engine`, () => {
    if (simdBackend !== 'simd')
      console.warn('this runtime has no WebAssembly SIMD: compared scalar with scalar');
    expect(scalar.sampled.notices.map(sansInputIndex)).toEqual(simd.sampled.notices.map(sansInputIndex));
    expect(scalar.sampled.vouchers).toEqual(simd.sampled.vouchers);
    expect(scalar.greedy.notices.map(sansInputIndex)).toEqual(simd.greedy.notices.map(sansInputIndex));
    expect(scalar.greedy.vouchers).toEqual(simd.greedy.vouchers);
  });

  it('writes the documented notice, with seeds the contract agrees with', async () => {
    const contract = new Contract(
      devnet.deployments.contracts.TrustAndTeach,
      TrustAndTeach__factory.abi,
      trusted.provider,
    );
    for (const [i, n] of simd.sampled.notices.entries()) {
      const tokens = n.tokens as number[];
      expect(n).toMatchObject({
        type: 'response',
        conversationId: '5',
        responseIndex: i,
        steps: 72,
        temperatureMilli: 1000,
        topPMilli: 950,
        modelHash: devnet.deployments.model.hash,
        engineVersion: ENGINE_VERSION,
        seed: deriveSeed(5n, i as 0 | 1).toString(),
      });
      expect(BigInt(n.seed as string)).toBe(await contract.getFunction('seedFor')(5n, i));
      expect(tokens[0]).toBe(1); // BOS
      expect(tokens.length).toBeGreaterThan(n.promptTokens as number);
      // BOS, then one token out of each of the `steps` positions (llama2.c's loop), fewer if BOS ended the story
      expect(tokens.length).toBeLessThanOrEqual(72 + 1);
      const bytes = Buffer.from((n.textHex as string).slice(2), 'hex');
      expect(n.text).toBe(new TextDecoder().decode(bytes));
      expect(n.utf8Valid).toBe(Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes));
    }
  });

  it('sends each voucher to the contract with postResponse carrying exactly the notice bytes', () => {
    for (const [i, v] of simd.sampled.vouchers.entries()) {
      const notice = simd.sampled.notices[i]!;
      expect(v.destination).toBe(trusted.address.toLowerCase());
      const call = tt.parseTransaction({ data: v.payload })!;
      expect(call.name).toBe('postResponse');
      const [conversationId, responseIndex, text, modelHash, seed, steps, temperatureMilli, topPMilli] =
        call.args.toArray();
      expect({ conversationId, responseIndex, modelHash, seed, steps, temperatureMilli, topPMilli }).toEqual({
        conversationId: 5n,
        responseIndex: BigInt(i),
        modelHash: devnet.deployments.model.hash,
        seed: BigInt(notice.seed as string),
        steps: 72n,
        temperatureMilli: 1000n,
        topPMilli: 950n,
      });
      expect(getBytes(text as string)).toEqual(getBytes(notice.textHex as string));
    }
  });
});

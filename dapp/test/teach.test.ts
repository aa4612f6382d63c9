// Fine-tuning inside the rollup, through the devnet's real rollup API: teach inputs become a dataset with the same
// commitment a re-run of every response gives, training runs a bounded number of steps per input, and the version it
// completes is @tt/llm teach()'s model on the same pairs and hyper-parameters, bit for bit; then a prompt for that
// version is answered by its weights. Bad teach inputs are refused with a report and change nothing.
import { readFileSync } from 'node:fs';
import { Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustAndTeach__factory } from '@tt/contracts';
import { encodeHyperParameters, loadEngine, teach, type HyperParameters } from '@tt/llm';
import {
  datasetCommitment,
  deriveSeed,
  encodePromptPayload,
  encodeTeachPayload,
  pairFromGenerations,
  samplingFloats,
  toHex,
  type DatasetPair,
  type Hex,
} from '@tt/protocol';
import {
  account,
  haveModel,
  modelFiles,
  modelNote,
  outcome,
  startInProcessBackend,
  startTestDevnet,
  type InProcessBackend,
  type InputOutcome,
  type TestDevnet,
} from './harness.ts';

const PROMPTS = ['Once upon a time', 'The little dog', 'Lily liked', 'Tom had a red ball', 'The sun was'];
const STEPS = 40;
const HP: Partial<HyperParameters> = { epochs: 2, batchSize: 2, seed: 11, learningRate: 1e-3 };
// 4 pairs (conversations 0..3), 2 per step, 2 epochs: 4 steps. Three steps' work per input: the first input runs the
// 4 reference passes (a third of a pair's training pass each) and 2 steps, the second the last 2 steps.
const CHOSEN: (0 | 1)[] = [1, 0, 0, 1];
const tt = new Interface(TrustAndTeach__factory.abi);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe.skipIf(!haveModel)(`teach inside the backend${modelNote}`, () => {
  let devnet: TestDevnet;
  let trusted: ReturnType<typeof account>;
  let backend: InProcessBackend;
  const o: Record<string, InputOutcome> = {};

  beforeAll(async () => {
    devnet = await startTestDevnet();
    trusted = account(devnet, 3);
    backend = startInProcessBackend(devnet, {
      contract: trusted.address,
      teach: { stepsPerInput: 3, hyperParameters: HP },
    });
    const send = async (name: string, payload: Uint8Array) => {
      const index = await trusted.addInput(payload);
      await devnet.settled(120_000);
      o[name] = await outcome(devnet, index);
    };
    for (const [i, prompt] of PROMPTS.entries()) await send(`prompt${i}`, promptPayload(BigInt(i), prompt));
    await send('idle', encodeTeachPayload({ conversationIds: [], chosenIndices: [] }));
    await send('unknown', encodeTeachPayload({ conversationIds: [0n, 42n], chosenIndices: [0, 1] }));
    await send('teach', encodeTeachPayload({ conversationIds: [0n, 1n, 2n, 3n], chosenIndices: CHOSEN }));
    await send('continue', encodeTeachPayload({ conversationIds: [], chosenIndices: [] }));
    const model = o.continue!.notices.find((n) => n.type === 'model');
    if (model) await send('versioned', promptPayload(4n, PROMPTS[4]!, model.modelHash as Hex));
    await send('bogusVersion', promptPayload(5n, 'x y z', `0x${'42'.repeat(32)}`));
  }, 600_000);

  afterAll(async () => {
    await backend?.stop();
    trusted?.destroy();
    await devnet?.stop();
  });

  function promptPayload(id: bigint, prompt: string, modelHash?: Hex): Uint8Array {
    return encodePromptPayload({
      conversationId: id,
      prompt: utf8(prompt),
      steps: STEPS,
      temperatureMilli: 1000,
      topPMilli: 950,
      ...(modelHash ? { modelHash } : {}),
    });
  }

  it('refuses a teach input naming a conversation it never answered, and says there is nothing to go on with', () => {
    expect(o.unknown!.status).toBe('REJECTED');
    expect(o.unknown!.reports).toEqual([
      expect.objectContaining({ type: 'error', code: 'teach-unknown-conversation' }),
    ]);
    expect(o.idle!.status).toBe('ACCEPTED');
    expect(o.idle!.reports).toEqual([expect.objectContaining({ code: 'teach-nothing-to-train' })]);
    expect(o.idle!.notices).toEqual([]);
  });

  it('trains a bounded number of steps per input and reports the progress', () => {
    expect(o.teach!.status).toBe('ACCEPTED');
    expect(o.teach!.notices).toHaveLength(1);
    expect(o.teach!.notices[0]).toMatchObject({
      type: 'teach',
      referenceDone: 4,
      step: 2,
      totalSteps: 4,
      pairs: 4,
    });
    expect(o.teach!.vouchers).toEqual([]);
    expect(o.continue!.notices.map((n) => n.type)).toEqual(['teach', 'model']);
    expect(o.continue!.notices[0]).toMatchObject({ step: 4, totalSteps: 4 });
  });

  it('builds the dataset a re-run of every response gives, and trains the same model as teach()', async () => {
    const checkpoint = new Uint8Array(readFileSync(modelFiles.checkpoint));
    const tokenizer = new Uint8Array(readFileSync(modelFiles.tokenizer));
    const engine = await loadEngine({ checkpoint, tokenizer });
    const base = devnet.deployments.model.hash as Hex;
    const pairs: DatasetPair[] = [];
    for (const id of [0, 1, 2, 3]) {
      const gen = (index: 0 | 1) =>
        engine.generate({
          prompt: utf8(PROMPTS[id]!),
          steps: STEPS,
          ...samplingFloats({ temperatureMilli: 1000, topPMilli: 950 }),
          seed: deriveSeed(BigInt(id), index),
        });
      const pair = pairFromGenerations({
        conversationId: BigInt(id),
        modelHash: base,
        chosenIndex: CHOSEN[id]!,
        steps: STEPS,
        generations: [await gen(0), await gen(1)],
      });
      pairs.push(pair!);
    }
    engine.dispose();
    const model = o.continue!.notices[1]!;
    const teachIndex = o.teach!.notices[0]!.teachInputIndex as number;
    expect(model).toMatchObject({
      parentHash: base,
      datasetCommitment: datasetCommitment(pairs),
      teachInputIndex: teachIndex,
      pairs: 4,
      steps: 4,
    });
    const reference = await teach({ checkpoint, tokenizer, pairs, hyperParameters: HP, evaluate: false });
    expect(model.modelHash).toBe(reference.modelHash);
    expect(model.hyperParametersHex).toBe(toHex(encodeHyperParameters(reference.manifest.hyperParameters)));
    expect((model.metrics as { loss: number }[]).map((m) => m.loss)).toEqual(
      reference.metrics.map((m) => m.loss),
    );

    // The registerModel voucher carries the notice's lineage.
    const [voucher] = o.continue!.vouchers;
    expect(voucher!.destination.toLowerCase()).toBe(trusted.address.toLowerCase());
    const call = tt.parseTransaction({ data: voucher!.payload })!;
    expect(call.name).toBe('registerModel');
    expect(call.args.toArray().map(String)).toEqual(
      [model.modelHash, base, model.datasetCommitment, teachIndex, 4, 4, model.hyperParametersHex].map(
        String,
      ),
    );

    // A prompt for the new version is answered by its weights.
    const versioned = o.versioned!;
    expect(versioned.status).toBe('ACCEPTED');
    expect(versioned.notices.map((n) => n.modelHash)).toEqual([model.modelHash, model.modelHash]);
    const trained = await loadEngine({ checkpoint: reference.checkpoint, tokenizer });
    const again = await trained.generate({
      prompt: utf8(PROMPTS[4]!),
      steps: STEPS,
      ...samplingFloats({ temperatureMilli: 1000, topPMilli: 950 }),
      seed: deriveSeed(4n, 0),
    });
    trained.dispose();
    expect(versioned.notices[0]!.tokens).toEqual(again.tokens);
    expect(tt.parseTransaction({ data: versioned.vouchers[0]!.payload })!.args[3]).toBe(model.modelHash);
  }, 300_000);

  it('refuses a prompt for a model it does not have, on chain too (rejectPrompt reason unknown-model)', () => {
    const bogus = o.bogusVersion!;
    expect(bogus.status).toBe('ACCEPTED');
    expect(bogus.reports).toEqual([expect.objectContaining({ code: 'unknown-model' })]);
    const call = tt.parseTransaction({ data: bogus.vouchers[0]!.payload })!;
    expect(call.name).toBe('rejectPrompt');
    expect(call.args[0]).toBe(5n);
  });
});

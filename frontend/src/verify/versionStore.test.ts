// The Verify worker's model versions, in Node with the real engine and trainer on a tiny synthetic model: a version
// "registered on chain" here is one trained with @tt/llm's teach() on pairs re-run from two conversations, exactly as
// the backend does; the store must re-derive it from that record alone (and keep it), refuse a registered hash or a
// base that training does not reproduce, stop when asked, and take a weights file only when its hash is the record's.
import type { Conversation, Hex, ModelVersion, TeachRequest } from '@tt/client';
import {
  encodeHyperParameters,
  loadEngine,
  modelHash,
  resolveHyperParameters,
  teach,
  type Backend,
  type Engine,
} from '@tt/llm';
import {
  datasetCommitment,
  pairFromGenerations,
  samplingFloats,
  toHex,
  type DatasetPair,
} from '@tt/protocol';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainWasmPaths } from '@tt/llm/node';
import {
  makeRandomCheckpoint,
  makeSyntheticTokenizer,
  TINY_SHAPE,
} from '../../../packages/llm/test/models.ts';
import type { DeriveProgress } from './derive-progress.ts';
import { VersionStore, type VersionJob } from './versionStore.ts';

const shape = { ...TINY_SHAPE, vocabSize: 512, seqLen: 64 };
const checkpoint = makeRandomCheckpoint(shape, 31);
const tokenizer = makeSyntheticTokenizer(shape.vocabSize);
const params = { steps: 24, temperatureMilli: 900, topPMilli: 900 };
const ZERO = `0x${'00'.repeat(32)}` as Hex;

let baseHash: Hex;
let job: VersionJob;
let v1: { checkpoint: Uint8Array; modelHash: Hex };

/** A store like the worker's, counting how often it asks for the trainer (once per training run). */
function store(trainerWasm?: (b: Backend) => Promise<Uint8Array>) {
  const counts = { trainer: 0 };
  const s = new VersionStore({
    baseCheckpoint: checkpoint,
    tokenizer,
    baseHash,
    loadEngine: (ck) => loadEngine({ checkpoint: ck, tokenizer, backend: 'auto' }),
    trainerWasm:
      trainerWasm ??
      (async (b) => {
        counts.trainer++;
        return new Uint8Array(readFileSync(trainWasmPaths()[b]));
      }),
  });
  return { s, counts };
}

const generate = (e: Engine, prompt: Uint8Array, seed: bigint) =>
  e.generate({ prompt, steps: params.steps, ...samplingFloats(params), seed });

beforeAll(async () => {
  baseHash = (await modelHash(checkpoint, tokenizer)) as Hex;
  const engine = await loadEngine({ checkpoint, tokenizer, backend: 'auto' });
  const conversations: Conversation[] = [];
  const pairs: DatasetPair[] = [];
  const chosen: (0 | 1)[] = [1, 0];
  for (const [i, text] of ['ab', 'ba'].entries()) {
    const prompt = new TextEncoder().encode(text);
    const seeds = [BigInt(100 + 2 * i), BigInt(101 + 2 * i)];
    const gens = seeds.map((seed) => generate(engine, prompt, seed));
    conversations.push({
      id: BigInt(i),
      inputIndex: i,
      author: ZERO.slice(0, 42) as Hex,
      prompt,
      params,
      modelHash: baseHash,
      modelVersion: 0,
      promptedAt: 1,
      responses: [0, 1].map((r) => ({
        responseIndex: r as 0 | 1,
        bytes: gens[r]!.bytes,
        seed: seeds[r]!,
        modelHash: baseHash,
      })) as Conversation['responses'],
      rankings: [],
    });
    const pair = pairFromGenerations({
      conversationId: BigInt(i),
      modelHash: baseHash,
      chosenIndex: chosen[i]!,
      steps: params.steps,
      generations: [gens[0]!, gens[1]!],
    });
    expect(pair, `conversation ${i}: the two responses differ`).not.toBeNull();
    pairs.push(pair!);
  }
  engine.dispose();
  const hp = resolveHyperParameters({ epochs: 1, batchSize: 1, learningRate: 1e-3 }, pairs.length);
  const trained = await teach({ checkpoint, tokenizer, pairs, hyperParameters: hp, evaluate: false });
  v1 = { checkpoint: trained.checkpoint, modelHash: trained.modelHash };
  const versions: ModelVersion[] = [
    {
      version: 0,
      modelHash: baseHash,
      parentHash: ZERO,
      parentVersion: 0,
      datasetCommitment: ZERO,
      teachInputIndex: 0,
      blockNumber: 1,
      pairs: 0,
      steps: 0,
    },
    {
      version: 1,
      modelHash: trained.modelHash,
      parentHash: baseHash,
      parentVersion: 0,
      datasetCommitment: datasetCommitment(pairs),
      teachInputIndex: 7,
      blockNumber: 9,
      pairs: 2,
      steps: 2,
      hyperParameters: toHex(encodeHyperParameters(hp)),
    },
  ];
  const requests: TeachRequest[] = [
    {
      inputIndex: 7,
      sender: ZERO.slice(0, 42) as Hex,
      conversationIds: [0n, 1n],
      chosenIndices: chosen,
      skippedTies: 0,
      txHash: ZERO,
      blockNumber: 8,
    },
  ];
  job = { version: 1, versions, requests, conversations };
});

describe('the versions Verify holds', () => {
  it('re-derives a version from its record, reports each stage, and keeps it for the session', async () => {
    const { s, counts } = store();
    const seen: DeriveProgress[] = [];
    expect(s.holds(v1.modelHash)).toBe(false);
    expect(await s.derive(job, (p) => seen.push(p))).toEqual({ modelHash: v1.modelHash, source: 'chain' });
    expect(s.holds(v1.modelHash)).toBe(true);
    expect(await modelHash(s.checkpointOf(v1.modelHash), tokenizer)).toBe(v1.modelHash);
    expect(counts.trainer).toBe(1);
    expect(seen.filter((p) => p.phase === 'replay').map((p) => 'done' in p && p.done)).toEqual([0, 1]);
    expect(seen.some((p) => p.phase === 'train')).toBe(true);
    expect(seen.filter((p) => p.phase === 'reference').length).toBe(2);
    expect(seen.filter((p) => p.phase === 'step').at(-1)).toEqual({
      version: 1,
      phase: 'step',
      done: 2,
      of: 2,
    });
    // the engine runs the derived weights: another text than the base writes for the same request
    const prompt = new TextEncoder().encode('ab');
    const base = generate(await s.engine(baseHash), prompt, 5n).bytes;
    const tuned = generate(await s.engine(v1.modelHash), prompt, 5n).bytes;
    expect(toHex(tuned)).not.toBe(toHex(base));

    // a second Verify of a response of v1: held, nothing re-run or trained
    const again: DeriveProgress[] = [];
    expect(await s.derive(job, (p) => again.push(p))).toEqual({ modelHash: v1.modelHash, source: 'cache' });
    expect(again).toEqual([]);
    expect(counts.trainer).toBe(1);
    s.dispose();
  });

  it('refuses a version whose registered hash training does not reproduce, naming both hashes', async () => {
    const forged = `0x${'ab'.repeat(32)}` as Hex;
    const versions = [job.versions[0]!, { ...job.versions[1]!, modelHash: forged }];
    const { s } = store();
    const err = await s.derive({ ...job, versions }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'version-mismatch' });
    expect((err as Error).message).toContain(
      `training again gives ${v1.modelHash}, the chain registered ${forged}`,
    );
    expect(s.holds(forged)).toBe(false);
    expect(s.holds(v1.modelHash)).toBe(false);
  });

  it('refuses a base model that is not the contract’s before any work, and a dataset the chain does not name', async () => {
    const { s, counts } = store();
    const other = `0x${'cd'.repeat(32)}` as Hex;
    const versions = [{ ...job.versions[0]!, modelHash: other }, job.versions[1]!];
    const err = await s.derive({ ...job, versions }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'base-mismatch' });
    expect((err as Error).message).toContain(
      `hashes to ${baseHash}, but the contract's base model is ${other}`,
    );
    expect(counts.trainer).toBe(0);
    // the other choice in one conversation: other pairs, another commitment than the registered one
    const requests = [{ ...job.requests[0]!, chosenIndices: [0, 0] as (0 | 1)[] }];
    const err2 = await s.derive({ ...job, requests }).catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: 'version-mismatch' });
    expect((err2 as Error).message).toMatch(
      /the dataset re-built from the chain has commitment 0x[0-9a-f]{64}, the version says/,
    );
  });

  it('stops when cancelled, holds nothing half-trained, and derives on the next request', async () => {
    const { s } = store();
    const ac = new AbortController();
    const err = await s
      .derive(job, (p) => p.phase === 'step' && ac.abort(), ac.signal)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect((err as Error).message).toBe('re-deriving version 1 was cancelled');
    expect(s.holds(v1.modelHash)).toBe(false);
    // cancelled while re-running the conversations
    const ac2 = new AbortController();
    const err2 = await s
      .derive(job, (p) => p.phase === 'replay' && ac2.abort(), ac2.signal)
      .catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: 'cancelled' });
    expect(await s.derive(job)).toEqual({ modelHash: v1.modelHash, source: 'chain' });
  });

  it('refuses a tampered trainer before any replay', async () => {
    const { s } = store(async () => {
      throw new Error('the trainer build llm-train-simd.wasm does not match the hash pinned in this UI');
    });
    const seen: DeriveProgress[] = [];
    await expect(s.derive(job, (p) => seen.push(p))).rejects.toThrow(/does not match the hash pinned/);
    expect(seen).toEqual([]);
  });

  it('takes a weights file only when it hashes to the registered version', async () => {
    const { s, counts } = store();
    const err = await s.addWeights(checkpoint, job.versions[1]!).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'version-mismatch' });
    expect((err as Error).message).toBe(
      `the weights file hashes to ${baseHash} with the node's tokenizer, but the chain registered ${v1.modelHash} for v1: it is not that version's checkpoint`,
    );
    expect(s.holds(v1.modelHash)).toBe(false);
    expect(await s.addWeights(v1.checkpoint.slice(), job.versions[1]!)).toEqual({
      modelHash: v1.modelHash,
      source: 'file',
    });
    expect(await s.derive(job)).toEqual({ modelHash: v1.modelHash, source: 'cache' });
    expect(counts.trainer).toBe(0);
  });
});

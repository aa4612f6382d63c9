// Fine-tuning inside the rollup, from the client's side (docs/interfaces.md, "Fine-tuning inside the rollup"): which
// conversations can still be taught, sending them (TrustAndTeach.teach) and nudging the training on
// (continueTeaching), the lineage of model versions on chain, the backend's progress notices, and re-deriving a
// version's weights from the chain alone. Browser-safe: the engine and the trainer are passed in.
import {
  datasetCommitment,
  fromHex,
  pairFromGenerations,
  parseTeachNotice,
  samplingFloats,
  tallyVotes,
  toHex,
  type DatasetPair,
  type ModelNotice,
  type TeachProgressNotice,
} from '@tt/protocol';
import { explainContractError, type TrustAndTeach } from '../contract.ts';
import { TtError } from '../errors.ts';
import { readConversations, type ReadOptions } from '../conversations.ts';
import type { Conversation, Hex } from '../model.ts';
import { TrustAndTeach__factory } from '@tt/contracts';
import { fetchNodeInput, type NodeVoucher } from '../rollup.ts';
import type { GraphQLClient } from '../graphql/request.ts';
import { sendWithNonceRetry } from '../txerrors.ts';
import type { ReplayEngine } from './dataset.ts';

const ttInterface = TrustAndTeach__factory.createInterface();

/** One model version as the contract records it (version 0 = the base). */
export interface ModelVersion {
  version: number;
  modelHash: Hex;
  /** Zero for the base. */
  parentHash: Hex;
  parentVersion: number;
  datasetCommitment: Hex;
  teachInputIndex: number;
  blockNumber: number;
  pairs: number;
  steps: number;
  /** @tt/llm's 88-byte wire form, from the ModelRegistered event (absent for the base). */
  hyperParameters?: Hex;
}

/** A TrustAndTeach.teach call as its TeachRequested event tells it. */
export interface TeachRequest {
  inputIndex: number;
  sender: Hex;
  conversationIds: bigint[];
  chosenIndices: (0 | 1)[];
  skippedTies: number;
  txHash: Hex;
  blockNumber: number;
}

export async function readModelVersions(contract: TrustAndTeach, fromBlock: number): Promise<ModelVersion[]> {
  const [views, events] = await Promise.all([
    contract.getModelVersions(0, 65536),
    contract.queryFilter(contract.filters.ModelRegistered(), fromBlock),
  ]);
  const hp = new Map(events.map((e) => [Number(e.args.version), e.args.hyperParameters as Hex]));
  return views.map((v) => ({
    version: Number(v.version),
    modelHash: v.modelHash as Hex,
    parentHash: v.parentHash as Hex,
    parentVersion: Number(v.parentVersion),
    datasetCommitment: v.datasetCommitment as Hex,
    teachInputIndex: Number(v.teachInputIndex),
    blockNumber: Number(v.blockNumber),
    pairs: Number(v.pairs),
    steps: Number(v.steps),
    ...(hp.has(Number(v.version)) ? { hyperParameters: hp.get(Number(v.version))! } : {}),
  }));
}

/** The inputs continueTeaching() sent, in order. */
export async function readTeachContinues(contract: TrustAndTeach, fromBlock: number): Promise<number[]> {
  const events = await contract.queryFilter(contract.filters.TeachContinued(), fromBlock);
  return events.map((e) => Number(e.args.inputIndex));
}

export async function readTeachRequests(contract: TrustAndTeach, fromBlock: number): Promise<TeachRequest[]> {
  const events = await contract.queryFilter(contract.filters.TeachRequested(), fromBlock);
  return events.map((e) => ({
    inputIndex: Number(e.args.inputIndex),
    sender: e.args.sender as Hex,
    conversationIds: [...e.args.conversationIds],
    chosenIndices: e.args.chosenIndices.map((c) => Number(c) as 0 | 1),
    skippedTies: Number(e.args.skippedTies),
    txHash: e.transactionHash as Hex,
    blockNumber: e.blockNumber,
  }));
}

/**
 * Conversations a teach call would turn into pairs and no teach call has sent yet: both responses on chain, a
 * majority among the rankings (ties and unranked ones would be skipped), not rejected.
 */
export function teachableConversations(
  conversations: readonly Conversation[],
  requests: readonly TeachRequest[],
): bigint[] {
  const taught = new Set(requests.flatMap((r) => r.conversationIds));
  return conversations
    .filter(
      (c) =>
        !taught.has(c.id) &&
        c.responses[0] &&
        c.responses[1] &&
        tallyVotes(c.rankings.map((r) => r.order[0])).chosenIndex !== null,
    )
    .map((c) => c.id);
}

async function sentInput<T>(
  contract: TrustAndTeach,
  send: () => Promise<{ wait(): Promise<unknown> }>,
  parse: (receipt: { logs: readonly { topics: readonly string[]; data: string }[] }) => T | null,
  what: string,
  onSent?: (txHash: Hex) => void,
): Promise<T> {
  let receipt: { logs: readonly { topics: readonly string[]; data: string }[]; hash: string } | null;
  const account = await (contract.runner as { getAddress?: () => Promise<string> } | null)?.getAddress?.();
  try {
    const tx = await sendWithNonceRetry(send as never);
    onSent?.((tx as { hash: Hex }).hash);
    receipt = (await (tx as { wait(): Promise<unknown> }).wait()) as typeof receipt;
  } catch (err) {
    throw explainContractError(err, account ?? '');
  }
  if (!receipt) throw new TtError('timeout', `the ${what} transaction was dropped`, 'send it again');
  const out = parse(receipt);
  if (out === null) throw new TtError('bad-argument', `transaction ${receipt.hash} emitted no ${what} event`);
  return out;
}

/** TrustAndTeach.teach(ids): ids are sorted here (the contract wants them strictly increasing). */
export async function requestTeach(
  contract: TrustAndTeach,
  ids: readonly bigint[],
  onSent?: (txHash: Hex) => void,
): Promise<TeachRequest> {
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0)
    throw new TtError(
      'bad-argument',
      'no conversation to teach',
      'rank some answered conversations first (`pnpm tt rank ID --confirm`)',
    );
  const teach = contract.getFunction('teach');
  try {
    await teach.staticCall(sorted); // names the contract's refusal (NothingToTeach, ResponsesNotPosted…) for free
  } catch (err) {
    throw explainContractError(err, '');
  }
  return sentInput(
    contract,
    () => teach(sorted),
    (receipt) => {
      for (const log of receipt.logs) {
        const parsed = safeParse(contract, log);
        if (parsed?.name === 'TeachRequested') {
          const a = parsed.args;
          return {
            inputIndex: Number(a.inputIndex),
            sender: a.sender as Hex,
            conversationIds: [...(a.conversationIds as bigint[])],
            chosenIndices: (a.chosenIndices as bigint[]).map((c) => Number(c) as 0 | 1),
            skippedTies: Number(a.skippedTies),
            txHash: (receipt as unknown as { hash: Hex }).hash,
            blockNumber: (receipt as unknown as { blockNumber: number }).blockNumber,
          };
        }
      }
      return null;
    },
    'TeachRequested',
    onSent,
  );
}

/** TrustAndTeach.continueTeaching(): one more bounded slice of training. Returns the input index. */
export async function continueTeaching(
  contract: TrustAndTeach,
  onSent?: (txHash: Hex) => void,
): Promise<number> {
  return sentInput(
    contract,
    () => contract.continueTeaching(),
    (receipt) => {
      for (const log of receipt.logs) {
        const parsed = safeParse(contract, log);
        if (parsed?.name === 'TeachContinued') return Number(parsed.args.inputIndex);
      }
      return null;
    },
    'TeachContinued',
    onSent,
  );
}

function safeParse(contract: TrustAndTeach, log: { topics: readonly string[]; data: string }) {
  try {
    return contract.interface.parseLog({ topics: [...log.topics], data: log.data });
  } catch {
    return null;
  }
}

/** What the node says about one teach (or continue) input. */
export interface TeachInputState {
  status: string;
  progress: TeachProgressNotice | null;
  model: ModelNotice | null;
  /** The registerModel voucher, when the input completed a version (checked: TrustAndTeach, the notice's lineage). */
  voucher: NodeVoucher | null;
  reports: string[];
}

export async function readTeachInput(
  client: GraphQLClient,
  inputIndex: number,
  trustAndTeach: string,
): Promise<TeachInputState | null> {
  const input = await fetchNodeInput(client, inputIndex);
  if (!input) return null;
  let progress: TeachProgressNotice | null = null;
  let model: ModelNotice | null = null;
  for (const edge of input.notices.edges) {
    const n = parseTeachNotice(edge.node.payload);
    if (n?.type === 'teach') progress = n;
    if (n?.type === 'model') model = n;
  }
  // Only a voucher that registers exactly the notice's version at TrustAndTeach is the one to execute.
  let voucher: NodeVoucher | null = null;
  for (const { node: v } of input.vouchers.edges) {
    if (!model || v.destination.toLowerCase() !== trustAndTeach.toLowerCase()) continue;
    let call;
    try {
      call = ttInterface.parseTransaction({ data: v.payload });
    } catch {
      continue;
    }
    if (
      call?.name === 'registerModel' &&
      String(call.args[0]).toLowerCase() === model.modelHash.toLowerCase() &&
      String(call.args[1]).toLowerCase() === model.parentHash.toLowerCase() &&
      String(call.args[2]).toLowerCase() === model.datasetCommitment.toLowerCase()
    )
      voucher = {
        index: v.index,
        destination: v.destination as Hex,
        payload: v.payload as Hex,
        proof: v.proof ?? null,
      };
  }
  return {
    status: input.status,
    progress,
    model,
    voucher,
    reports: input.reports.edges.map((e) => new TextDecoder().decode(fromHex(e.node.payload))),
  };
}

/** The registered fine-tuned version that answered `conversation`; throws version-mismatch when there is none. */
export function registeredVersionOf(
  versions: readonly ModelVersion[],
  conversation: Conversation,
): ModelVersion {
  const v = versions.find((x) => x.modelHash.toLowerCase() === conversation.modelHash.toLowerCase());
  if (!v || v.version < 1)
    throw new TtError(
      'version-mismatch',
      `conversation ${conversation.id} names model ${conversation.modelHash}, which the contract has not registered as a fine-tuned version`,
      'wait until the version is registered on chain (`pnpm tt models` and the Teach tab list them), then verify again',
    );
  return v;
}

/** What re-deriving the version that answered a conversation needs, read from the chain alone. */
export interface RederiveInputs {
  /** The version to re-derive (≥ 1). */
  version: number;
  /** Every registered version, in order (index = version). */
  versions: ModelVersion[];
  requests: TeachRequest[];
  /** The conversations the teach requests name (their on-chain responses are what the re-derivation re-runs). */
  conversations: Conversation[];
}

/**
 * Reads the contract's versions (the registered hash is the reference, never a node's word), the TeachRequested
 * events whose inputs trained them, and the conversations those name: rederiveVersion's inputs for the version that
 * answered `conversation`. `tt verify` and the browser's Verify both read the chain through this.
 */
export async function readRederiveInputs(
  chain: Omit<ReadOptions, 'ids'>,
  conversation: Conversation,
): Promise<RederiveInputs> {
  const [versions, requests] = await Promise.all([
    readModelVersions(chain.contract, chain.fromBlock),
    readTeachRequests(chain.contract, chain.fromBlock),
  ]);
  const version = registeredVersionOf(versions, conversation).version;
  const ids = [...new Set(requests.flatMap((r) => r.conversationIds))];
  const conversations = ids.length ? await readConversations({ ...chain, ids }) : [];
  return { version, versions, requests, conversations };
}

/** The trainer a re-derivation uses: @tt/llm's teach() (bit-exact on every build). */
export type TrainFunction = (args: {
  checkpoint: Uint8Array;
  pairs: readonly DatasetPair[];
  hyperParameters: Hex;
  /** The version being trained (for progress). */
  version: number;
}) => Promise<{ checkpoint: Uint8Array; modelHash: Hex }>;

/** Where a re-derivation is, for a progress display (training steps come from the train function itself). */
export type RederiveProgress =
  /** re-running the responses of the version's teach input, conversation `done` of `of` */
  | { version: number; phase: 'replay'; done: number; of: number }
  /** training `pairs` pairs from the parent version */
  | { version: number; phase: 'train'; pairs: number; parentVersion: number };

export interface RederiveOptions {
  /** The version to re-derive (≥ 1). */
  version: number;
  versions: readonly ModelVersion[];
  requests: readonly TeachRequest[];
  /** The conversations the teach inputs name (read from the chain). */
  conversations: ReadonlyMap<bigint, Conversation>;
  /** The base checkpoint (its hash is checked by the caller). */
  baseCheckpoint: Uint8Array;
  /** An engine for a checkpoint (to re-run responses written by a version). */
  engineFor: (checkpoint: Uint8Array) => Promise<ReplayEngine & { dispose?(): void }>;
  train: TrainFunction;
  onStep?: (message: string) => void;
  onProgress?: (p: RederiveProgress) => void;
  /**
   * Checkpoints already known, by lower-case model hash (each one checked against its hash by whoever put it there);
   * every version derived here is added, so a map kept across calls is a cache: a version is never trained twice.
   */
  checkpoints?: Map<string, Uint8Array>;
  /** Stops between two conversations (the train function stops on its own) with TtError `cancelled`. */
  signal?: AbortSignal;
}

/**
 * Re-derives a version's checkpoint from the chain alone: its parent (recursively), the teach input's conversations
 * and choices (TeachRequested), each response re-run with the model that wrote it (the re-run's bytes must be the
 * chain's), the dataset's commitment checked against the version's, then trained with the hyper-parameters of its
 * ModelRegistered event; the result's hash must be the registered one. Throws TtError version-mismatch otherwise.
 */
export async function rederiveVersion(opts: RederiveOptions): Promise<Uint8Array> {
  const checkpoints = opts.checkpoints ?? new Map<string, Uint8Array>();
  const base = opts.versions[0];
  if (!base) throw new TtError('bad-argument', 'no model versions were read');
  checkpoints.set(base.modelHash.toLowerCase(), opts.baseCheckpoint);
  const stopIfAsked = (n: number) => {
    if (opts.signal?.aborted)
      throw new TtError(
        'cancelled',
        `re-deriving version ${n} was cancelled`,
        'start it again when you like: the versions derived before it are kept',
      );
  };

  const derive = async (n: number): Promise<Uint8Array> => {
    const v = opts.versions[n];
    if (!v)
      throw new TtError('bad-argument', `there is no model version ${n}`, 'list them with `pnpm tt models`');
    const known = checkpoints.get(v.modelHash.toLowerCase());
    if (known) return known;
    stopIfAsked(n);
    const parent = await derive(v.parentVersion);
    const request = opts.requests.find((r) => r.inputIndex === v.teachInputIndex);
    if (!request || !v.hyperParameters)
      throw new TtError(
        'version-mismatch',
        `version ${n}: the chain has no TeachRequested event for input ${v.teachInputIndex} or no hyper-parameters`,
        'read the chain from the contract deployment block',
      );
    opts.onStep?.(
      `version ${n}: re-running the ${request.conversationIds.length} conversations of input ${v.teachInputIndex}`,
    );
    const pairs: DatasetPair[] = [];
    const engines = new Map<string, ReplayEngine & { dispose?(): void }>();
    try {
      for (const [i, id] of request.conversationIds.entries()) {
        stopIfAsked(n);
        opts.onProgress?.({ version: n, phase: 'replay', done: i, of: request.conversationIds.length });
        const c = opts.conversations.get(id);
        if (!c?.responses[0] || !c.responses[1])
          throw new TtError(
            'version-mismatch',
            `version ${n}: conversation ${id} is not on chain with both responses`,
          );
        const model = c.modelHash.toLowerCase();
        let engine = engines.get(model);
        if (!engine) {
          const ck =
            checkpoints.get(model) ??
            (await derive(opts.versions.findIndex((x) => x.modelHash.toLowerCase() === model)));
          engine = await opts.engineFor(ck);
          engines.set(model, engine);
        }
        const gens = [];
        for (const r of c.responses) {
          const out = await engine.generate({
            prompt: c.prompt,
            steps: c.params.steps,
            ...samplingFloats(c.params),
            seed: r!.seed,
          });
          if (toHex(out.bytes) !== toHex(r!.bytes))
            throw new TtError(
              'response-mismatch',
              `version ${n}: re-running conversation ${id} response ${r!.responseIndex} does not give the chain's bytes`,
              `check it with \`pnpm tt verify ${id}\``,
            );
          gens.push(out);
        }
        const pair = pairFromGenerations({
          conversationId: id,
          modelHash: c.modelHash,
          chosenIndex: request.chosenIndices[i]!,
          steps: c.params.steps,
          generations: [gens[0]!, gens[1]!],
        });
        if (pair) pairs.push(pair);
      }
    } finally {
      for (const e of engines.values()) e.dispose?.();
    }
    const commitment = datasetCommitment(pairs);
    if (commitment !== v.datasetCommitment.toLowerCase())
      throw new TtError(
        'version-mismatch',
        `version ${n}: the dataset re-built from the chain has commitment ${commitment}, the version says ${v.datasetCommitment}`,
        'the backend trained on other pairs than the chain names: do not trust this version',
      );
    stopIfAsked(n);
    opts.onStep?.(`version ${n}: training ${pairs.length} pairs from version ${v.parentVersion}`);
    opts.onProgress?.({ version: n, phase: 'train', pairs: pairs.length, parentVersion: v.parentVersion });
    const trained = await opts.train({
      checkpoint: parent,
      pairs,
      hyperParameters: v.hyperParameters,
      version: n,
    });
    if (trained.modelHash.toLowerCase() !== v.modelHash.toLowerCase())
      throw new TtError(
        'version-mismatch',
        `version ${n}: training again gives ${trained.modelHash}, the chain registered ${v.modelHash}`,
        'the backend did not train what it registered: do not trust this version',
      );
    checkpoints.set(v.modelHash.toLowerCase(), trained.checkpoint);
    return trained.checkpoint;
  };
  return derive(opts.version);
}

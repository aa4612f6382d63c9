// Verify: re-runs both responses of a conversation in the model worker with the recorded seed and parameters, and
// compares the bytes with the record through @tt/client's verifyConversation (the same check as `tt verify`). A
// response of a fine-tuned version is re-run with that version's weights, which the worker re-derives from the chain
// first (its teach inputs replayed with the pinned deterministic trainer; the hash must be the registered one) unless
// it holds them already this session or the user gave a weights file whose hash is the registered one.
// Results are kept per conversation for the whole page, so moving between conversations does not lose them.
import {
  readModelVersions,
  readRederiveInputs,
  registeredVersionOf,
  verifyConversation,
  type Conversation,
  type ConversationState,
  type GeneratingEngine,
  type Hex,
  type PostedResponse,
} from '@tt/client';
import { useCallback, useSyncExternalStore } from 'react';
import { describeError } from '../lib/errors.ts';
import { shortHex } from '../lib/format.ts';
import type { DeriveProgress } from './derive-progress.ts';
import type { ModelClient } from './modelClient.ts';
import type { Held } from './versionStore.ts';
import { isFineTuned, type ChainReader } from './versionJob.ts';

export type VerifyState =
  | { phase: 'idle' }
  | { phase: 'queued' }
  | { phase: 'loading'; loaded: number; total: number | null }
  /** re-deriving the fine-tuned version that wrote the response (or checking its weights file) */
  | { phase: 'deriving'; progress: DeriveProgress }
  | { phase: 'running'; pos: number; steps: number }
  | {
      phase: 'verified';
      detail: string;
      source: 'on-chain' | 'notice';
      /** the fine-tuned version re-run, and where its weights came from */
      version?: { version: number; modelHash: Hex; from: Held['source'] };
    }
  | { phase: 'mismatch'; detail: string }
  | { phase: 'cancelled'; message: string }
  | { phase: 'error'; message: string };

type Pair = [VerifyState, VerifyState];
const IDLE: Pair = [{ phase: 'idle' }, { phase: 'idle' }];

const results = new Map<string, Pair>();
const listeners = new Set<() => void>();
/** The re-derivation running for a conversation, to cancel it. */
const running = new Map<string, AbortController>();

function set(id: bigint, index: 0 | 1, s: VerifyState): void {
  const key = id.toString();
  const cur = results.get(key) ?? IDLE;
  const next: Pair = index === 0 ? [s, cur[1]] : [cur[0], s];
  results.set(key, next);
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The record to check against: the on-chain response where posted, otherwise the backend's notice. */
export function verifiable(state: ConversationState): {
  conversation: Conversation;
  sources: ('on-chain' | 'notice' | null)[];
} {
  const { conversation: c, node } = state;
  const sources: ('on-chain' | 'notice' | null)[] = [null, null];
  const responses: Conversation['responses'] = [undefined, undefined];
  for (const i of [0, 1] as const) {
    const posted = c.responses[i];
    const notice = node?.notices[i];
    if (posted) {
      responses[i] = posted;
      sources[i] = 'on-chain';
    } else if (notice) {
      const fromNotice: PostedResponse = {
        responseIndex: i,
        bytes: notice.bytes,
        seed: notice.seed,
        modelHash: notice.modelHash,
      };
      responses[i] = fromNotice;
      sources[i] = 'notice';
    }
  }
  return { conversation: { ...c, responses }, sources };
}

/**
 * What this page's Verify runs found, for the download: true for a conversation whose two on-chain texts a re-run
 * gave byte for byte, false when one did not (an unverified row); conversations not re-run (or only their notices)
 * are absent.
 */
export function verifiedConversations(): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [id, pair] of results) {
    if (pair.some((s) => s.phase === 'mismatch')) out.set(id, false);
    else if (pair.every((s) => s.phase === 'verified' && s.source === 'on-chain')) out.set(id, true);
  }
  return out;
}

export function useVerification(id: bigint | null): Pair {
  return useSyncExternalStore(subscribe, () => (id === null ? IDLE : (results.get(id.toString()) ?? IDLE)));
}

/** True while a Verify of this conversation is under way. */
export function isVerifying(pair: Pair): boolean {
  return pair.some(
    (v) => v.phase === 'queued' || v.phase === 'loading' || v.phase === 'deriving' || v.phase === 'running',
  );
}

/** Stops the re-derivation Verify runs for this conversation (the versions finished before are kept). */
export function cancelVerify(id: bigint): void {
  running.get(id.toString())?.abort();
}

/** Where a fine-tuned version's weights come from for one Verify run. */
export type WeightsSource = { kind: 'chain' } | { kind: 'file'; file: Blob };

const FROM: Record<Held['source'], string> = {
  chain: 're-derived from the chain (its teach inputs replayed with the deterministic trainer)',
  file: 'from your weights file',
  cache: 'held from earlier in this session',
};

/** The words for a finished Verify of one response. */
export function verdictDetail(
  bytes: number,
  source: 'on-chain' | 'notice',
  version?: { version: number; modelHash: Hex; from: Held['source'] },
): string {
  const record = source === 'on-chain' ? 'on-chain text' : 'notice (not posted yet)';
  if (!version) return `Re-ran in your browser: all ${bytes} bytes match the ${record}.`;
  return (
    `Re-ran in your browser with v${version.version}'s weights, ${FROM[version.from]}: they hash to ` +
    `${version.modelHash}, the hash the chain registered. All ${bytes} bytes match the ${record}.`
  );
}

function message(err: unknown): string {
  const e = describeError(err);
  return e.hint
    ? `${e.message} ${e.hint.charAt(0).toUpperCase()}${e.hint.slice(1)}${/[.!?]$/.test(e.hint) ? '' : '.'}`
    : e.message;
}

/**
 * Verify for the page: `run(state)` re-runs a conversation's responses (re-deriving a fine-tuned version first);
 * `run(state, { kind: 'file', file })` takes the version's weights from a file instead, checked against the chain.
 */
export function useVerify(model: ModelClient, chain: ChainReader) {
  return useCallback(
    async (state: ConversationState, weights: WeightsSource = { kind: 'chain' }) => {
      const { conversation, sources } = verifiable(state);
      const id = conversation.id;
      const key = id.toString();
      const indices = ([0, 1] as const).filter((i) => sources[i] !== null);
      const setAll = (s: VerifyState) => {
        for (const i of indices) set(id, i, s);
      };
      setAll({ phase: 'queued' });
      let loadedHash: string;
      try {
        const unsubscribe = model.subscribe((s) => {
          if (s.phase === 'loading') setAll({ phase: 'loading', loaded: s.loaded, total: s.total });
        });
        try {
          loadedHash = (await model.load()).modelHash;
        } finally {
          unsubscribe();
        }
      } catch (err) {
        setAll({ phase: 'error', message: (err as Error).message });
        return;
      }
      // A fine-tuned version: its weights, re-derived from the chain or from a file, both checked against the hash
      // the chain registered; the re-runs below use them.
      let version: { version: number; modelHash: Hex; from: Held['source'] } | undefined;
      if (isFineTuned(conversation)) {
        const ac = new AbortController();
        running.set(key, ac);
        const n = conversation.modelVersion!;
        try {
          let held: Held;
          if (weights.kind === 'file') {
            setAll({ phase: 'deriving', progress: { version: n, phase: 'file' } });
            const v = registeredVersionOf(
              await readModelVersions(chain.contract, chain.fromBlock),
              conversation,
            );
            const bytes = new Uint8Array(await weights.file.arrayBuffer());
            held = await model.useWeights(bytes, { version: v.version, modelHash: v.modelHash });
          } else if (model.holds(conversation.modelHash)) {
            held = { modelHash: conversation.modelHash, source: 'cache' };
          } else {
            setAll({ phase: 'deriving', progress: { version: n, phase: 'chain' } });
            const job = await readRederiveInputs(chain, conversation);
            if (ac.signal.aborted) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
            held = await model.derive(job, (progress) => setAll({ phase: 'deriving', progress }), ac.signal);
          }
          version = { version: n, modelHash: held.modelHash, from: held.source };
          loadedHash = held.modelHash;
        } catch (err) {
          if ((err as { code?: unknown }).code === 'cancelled')
            setAll({
              phase: 'cancelled',
              message: `Re-deriving v${n} was cancelled. Press Verify again to start over: versions finished before are kept.`,
            });
          else setAll({ phase: 'error', message: message(err) });
          return;
        } finally {
          running.delete(key);
        }
      }
      // The worker runs one generation at a time; the seed tells which response a call is for.
      const engine: GeneratingEngine = {
        generate: async (args) => {
          const index = conversation.responses.findIndex((r) => r?.seed === args.seed) as 0 | 1;
          set(id, index, { phase: 'running', pos: 0, steps: args.steps });
          const out = await model.generate(
            {
              prompt: typeof args.prompt === 'string' ? new TextEncoder().encode(args.prompt) : args.prompt,
              steps: args.steps,
              temperature: args.temperature,
              topp: args.topp,
              seed: args.seed.toString(),
            },
            (pos, steps) => set(id, index, { phase: 'running', pos, steps }),
            version?.modelHash,
          );
          return { bytes: out.bytes };
        },
      };
      try {
        const result = await verifyConversation(engine, conversation, loadedHash as Hex);
        for (const r of result.responses) {
          const bytes = conversation.responses[r.responseIndex]!.bytes.length;
          if (r.verified) {
            const source = sources[r.responseIndex] === 'on-chain' ? 'on-chain' : 'notice';
            set(id, r.responseIndex, {
              phase: 'verified',
              source,
              detail: verdictDetail(bytes, source, version),
              ...(version ? { version } : {}),
            });
          } else {
            const named = conversation.responses[r.responseIndex]!.modelHash;
            const why = !r.modelMatches
              ? named.toLowerCase() !== conversation.modelHash.toLowerCase()
                ? `the response names model ${shortHex(named, 10, 4)}, but the prompt went to ${shortHex(conversation.modelHash, 10, 4)}`
                : `the response names a different model than the node serves (${loadedHash.slice(0, 10)}…)`
              : !r.storedHashMatches
                ? 'the on-chain text does not hash to the stored commitment'
                : `the re-run gave other bytes (“${r.regenerated.text.slice(0, 60)}…”)`;
            set(id, r.responseIndex, { phase: 'mismatch', detail: `Mismatch: ${why}.` });
          }
        }
      } catch (err) {
        setAll({ phase: 'error', message: message(err) });
      }
    },
    [model, chain],
  );
}

// Verify: re-runs both responses of a conversation in the model worker with the recorded seed and parameters, and
// compares the bytes with the record through @tt/client's verifyConversation (the same check as `tt verify`).
// Results are kept per conversation for the whole page, so moving between conversations does not lose them.
import {
  verifyConversation,
  type Conversation,
  type ConversationState,
  type GeneratingEngine,
  type Hex,
  type PostedResponse,
} from '@tt/client';
import { useCallback, useSyncExternalStore } from 'react';
import type { ModelClient } from './modelClient.ts';

export type VerifyState =
  | { phase: 'idle' }
  | { phase: 'queued' }
  | { phase: 'loading'; loaded: number; total: number | null }
  | { phase: 'running'; pos: number; steps: number }
  | { phase: 'verified'; detail: string; source: 'on-chain' | 'notice' }
  | { phase: 'mismatch'; detail: string }
  | { phase: 'error'; message: string };

type Pair = [VerifyState, VerifyState];
const IDLE: Pair = [{ phase: 'idle' }, { phase: 'idle' }];

const results = new Map<string, Pair>();
const listeners = new Set<() => void>();

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

export function useVerify(model: ModelClient) {
  return useCallback(
    async (state: ConversationState) => {
      const { conversation, sources } = verifiable(state);
      const id = conversation.id;
      const indices = ([0, 1] as const).filter((i) => sources[i] !== null);
      for (const i of indices) set(id, i, { phase: 'queued' });
      let loadedHash: string;
      try {
        const unsubscribe = model.subscribe((s) => {
          if (s.phase === 'loading')
            for (const i of indices) set(id, i, { phase: 'loading', loaded: s.loaded, total: s.total });
        });
        try {
          loadedHash = (await model.load()).modelHash;
        } finally {
          unsubscribe();
        }
      } catch (err) {
        for (const i of indices) set(id, i, { phase: 'error', message: (err as Error).message });
        return;
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
              detail: `Re-ran in your browser: all ${bytes} bytes match the ${source === 'on-chain' ? 'on-chain text' : 'notice (not posted yet)'}.`,
            });
          } else {
            const why = !r.modelMatches
              ? `the response names a different model than the node serves (${loadedHash.slice(0, 10)}…)`
              : !r.storedHashMatches
                ? 'the on-chain text does not hash to the stored commitment'
                : `the re-run gave other bytes (“${r.regenerated.text.slice(0, 60)}…”)`;
            set(id, r.responseIndex, { phase: 'mismatch', detail: `Mismatch: ${why}.` });
          }
        }
      } catch (err) {
        for (const i of indices) set(id, i, { phase: 'error', message: (err as Error).message });
      }
    },
    [model],
  );
}

// Messages between the page and the model worker. The worker holds the base model's engine and the fine-tuned
// versions it re-derived or was given (by model hash); the page asks it to count a prompt's tokens (for the composer),
// to re-derive a version or check a weights file, and to re-run a response with a model it holds (for Verify).
import type { Hex } from '@tt/client';
import type { DeriveProgress } from './derive-progress.ts';
import type { Held, VersionJob } from './versionStore.ts';

export interface ModelSource {
  /** Base URL with manifest.json, checkpoint.bin and tokenizer.bin (docs/interfaces.md). */
  modelUrl: string;
}

export interface GenerateRequest {
  prompt: Uint8Array;
  steps: number;
  /** f32(temperatureMilli / 1000), as @tt/client's samplingFloats gives it. */
  temperature: number;
  topp: number;
  /** Decimal uint64. */
  seed: string;
}

export type ToWorker =
  | { type: 'load'; source: ModelSource }
  | { type: 'count'; id: number; text: string }
  /** modelHash: a version the worker holds (default: the base) */
  | { type: 'generate'; id: number; request: GenerateRequest; modelHash?: Hex }
  | { type: 'derive'; id: number; job: VersionJob }
  /** stop the derive request `target` */
  | { type: 'cancel'; target: number }
  | { type: 'weights'; id: number; bytes: Uint8Array; version: { version: number; modelHash: Hex } }
  | { type: 'save'; id: number; modelHash: Hex };

export interface LoadedModel {
  config: { dim: number; nLayers: number; vocabSize: number; seqLen: number };
  modelHash: string;
  backend: string;
  /** Threads the engine generates on (the same bits on any number). */
  threads: number;
  /** Why fewer threads than asked for, or why SIMD was refused, or null. */
  threadsNote: string | null;
  bytes: number;
  /** The engine build that runs, and its sha256: the one pinned in this UI at build time. */
  engine: { file: string; sha256: string };
}

export type FromWorker =
  | { type: 'progress'; loaded: number; total: number | null }
  | { type: 'loaded'; model: LoadedModel }
  | { type: 'loadError'; message: string }
  | { type: 'count'; id: number; tokens: number }
  | { type: 'token'; id: number; pos: number; steps: number }
  | { type: 'done'; id: number; bytes: Uint8Array; tokens: number[]; promptTokens: number; ms: number }
  | { type: 'deriveProgress'; id: number; progress: DeriveProgress }
  | ({ type: 'held'; id: number } & Held)
  | { type: 'saved'; id: number; bytes: Uint8Array }
  /** code and hint: a TtError's */
  | { type: 'error'; id: number; message: string; code?: string; hint?: string };

// Where the re-derivation of a fine-tuned version is, in words and as a fraction, for the Verify display. The worker
// reports @tt/client's re-derivation stages (reading the chain, re-running the teach input's conversations) and
// @tt/llm's training (the reference pass, then the optimizer steps); this file turns them into one line.
import type { RederiveProgress } from '@tt/client';

export type DeriveProgress =
  /** the page reads the lineage, the teach requests and their conversations from the chain */
  | { version: number; phase: 'chain' }
  | RederiveProgress
  /** the base model's log-probabilities of pair `done` of `of` */
  | { version: number; phase: 'reference'; done: number; of: number }
  /** optimizer steps done, out of `of` */
  | { version: number; phase: 'step'; done: number; of: number }
  /** hashing a weights file the user chose */
  | { version: number; phase: 'file' };

const name = (version: number) => (version === 0 ? 'base' : `v${version}`);

/** "v1: training step 2 of 4", "v1: re-running conversation 1 of 2 of its teach input", … */
export function describeDerive(p: DeriveProgress): string {
  const v = name(p.version);
  switch (p.phase) {
    case 'chain':
      return `${v}: reading its lineage and teach inputs from the chain`;
    case 'replay':
      return `${v}: re-running conversation ${Math.min(p.done + 1, p.of)} of ${p.of} of its teach input`;
    case 'train':
      return `${v}: training ${p.pairs} pair${p.pairs === 1 ? '' : 's'} from ${name(p.parentVersion)}`;
    case 'reference':
      return `${v}: reference pass, pair ${Math.min(p.done + 1, p.of)} of ${p.of}`;
    case 'step':
      return `${v}: training step ${Math.min(p.done + 1, p.of)} of ${p.of}`;
    case 'file':
      return `${v}: checking the weights file against the chain`;
  }
}

/** The fraction done of the current stage (0 when unknown). */
export function deriveFraction(p: DeriveProgress): number {
  if (p.phase === 'replay' || p.phase === 'reference' || p.phase === 'step')
    return p.of > 0 ? p.done / p.of : 0;
  return 0;
}

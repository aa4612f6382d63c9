// What the machine's engine program computes, shared with the host side of the comparison so both run exactly the
// same code: the cases with their logits fingerprints, and plain generation for the benchmark.
import type { Engine } from '@tt/llm';
// the fingerprint @tt/llm's own bit-exactness tests (and its native build) use
import { logitsHash } from '../../llm/test/hash.ts';
// the sampling bench:riscv counts too
import { BENCH_SAMPLING } from '../../llm/bench/sampling.ts';
import type { EngineCase, EngineCaseResult } from './cases.ts';

export function runCase(engine: Engine, c: EngineCase): EngineCaseResult {
  const logits: string[] = [];
  const r = engine.generate({
    prompt: c.prompt,
    steps: c.steps,
    temperature: c.temperature,
    topp: c.topp,
    seed: BigInt(c.seed),
    onLogits: (l) => logits.push(logitsHash(l)),
  });
  return { name: c.name, tokens: r.tokens, bytes: Buffer.from(r.bytes).toString('hex'), logits };
}

/**
 * Generation of `steps` positions for the cycle benchmark, with the benchmarks' sampling (@tt/llm's
 * bench/sampling.ts); returns how many forward passes ran (a BOS would end it early).
 */
export function generateSteps(engine: Engine, steps: number): { forwardPasses: number; tokens: number } {
  let forwardPasses = 0;
  const r = engine.generate({
    prompt: '',
    steps,
    temperature: BENCH_SAMPLING.temperature,
    topp: BENCH_SAMPLING.topp,
    seed: BENCH_SAMPLING.seed,
    onLogits: () => forwardPasses++,
  });
  return { forwardPasses, tokens: r.tokens.length };
}

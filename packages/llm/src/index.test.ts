// The browser entry stays browser-safe, and finds its own .wasm when given none.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION, defaultWasmUrl, loadEngine } from './index.ts';
import { wasmPaths } from './paths.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module reachable from file through relative imports. */
function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g))
    importGraph(join(dirname(file), m[1]!), seen);
  return seen;
}

describe('@tt/llm (browser entry)', () => {
  it('imports no Node built-ins anywhere in its module graph', () => {
    const files = [...importGraph(join(here, 'index.ts'))];
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/from 'node:|require\(/);
  });

  it('locates the package .wasm files by default', async () => {
    expect(fileURLToPath(defaultWasmUrl('simd'))).toBe(wasmPaths().simd);
    expect(fileURLToPath(defaultWasmUrl('scalar'))).toBe(wasmPaths().scalar);
    // No `wasm` option: the file: URL is read from disk in Node.
    const { makeRandomCheckpoint, makeSyntheticTokenizer, TINY_SHAPE } = await import('../test/models.ts');
    const engine = await loadEngine({
      checkpoint: makeRandomCheckpoint(TINY_SHAPE, 1),
      tokenizer: makeSyntheticTokenizer(TINY_SHAPE.vocabSize),
    });
    expect(engine.backend).toBe('simd');
    expect(
      engine.generate({ prompt: 'ab', steps: 5, temperature: 0, topp: 0.9, seed: 0n }).tokens,
    ).toHaveLength(6);
  });

  it('ENGINE_VERSION is semver', () => expect(ENGINE_VERSION).toMatch(/^\d+\.\d+\.\d+$/));
});

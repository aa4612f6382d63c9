// Every bad input gets an LlmError with its code and a message that says what is wrong — never a crash.
import { describe, expect, it } from 'vitest';
import { LlmError, loadEngine, type Engine } from '../src/index.ts';
import { nativePath, wasmPaths } from '../src/paths.ts';
import { runNative } from '../src/native.ts';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_SHAPE, makeRandomCheckpoint, makeSyntheticTokenizer, read } from './models.ts';

const checkpoint = makeRandomCheckpoint(TINY_SHAPE, 11);
const tokenizer = makeSyntheticTokenizer(TINY_SHAPE.vocabSize);
const wasm = read(wasmPaths().scalar);

async function load(ck: Uint8Array = checkpoint, tok: Uint8Array = tokenizer): Promise<Engine> {
  return loadEngine({ checkpoint: ck, tokenizer: tok, backend: 'scalar', wasm });
}

async function rejectsWith(
  p: Promise<unknown> | (() => unknown),
  code: string,
  message?: RegExp,
): Promise<void> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err, `expected LlmError ${code}`).toBeInstanceOf(LlmError);
  expect((err as LlmError).code).toBe(code);
  if (message) expect((err as LlmError).message).toMatch(message);
}

function withHeader(fields: number[], extraBytes = 0): Uint8Array {
  const b = new Uint8Array(28 + extraBytes);
  new DataView(b.buffer).setInt32(0, 0, true);
  fields.forEach((f, i) => new DataView(b.buffer).setInt32(4 * i, f, true));
  return b;
}

describe('checkpoint errors', () => {
  it('shorter than the header', () =>
    rejectsWith(load(checkpoint.subarray(0, 20)), 'checkpoint-truncated', /28-byte header/));
  it('truncated: size below what the header implies', () =>
    rejectsWith(
      load(checkpoint.subarray(0, checkpoint.length - 1000)),
      'checkpoint-size-mismatch',
      new RegExp(`needs ${checkpoint.length} bytes, the file has ${checkpoint.length - 1000}`),
    ));
  it('one byte too many', () => {
    const longer = new Uint8Array(checkpoint.length + 1);
    longer.set(checkpoint);
    return rejectsWith(load(longer), 'checkpoint-size-mismatch');
  });
  it('dim not divisible by n_heads', () =>
    rejectsWith(
      load(withHeader([40, 84, 2, 3, 3, 32000, 64], 4096)),
      'checkpoint-bad-header',
      /dim 40.*n_heads 3/,
    ));
  it('n_heads not divisible by n_kv_heads', () =>
    rejectsWith(load(withHeader([40, 84, 2, 4, 3, 32000, 64], 4096)), 'checkpoint-bad-header'));
  it('non-positive fields', () =>
    rejectsWith(load(withHeader([0, 84, 2, 4, 2, 32000, 64])), 'checkpoint-bad-header'));
  it('huge fields are refused, not multiplied into an overflow', () =>
    rejectsWith(load(withHeader([65536, 262144, 4096, 1, 1, -2147483648, 65536])), 'checkpoint-bad-header'));
});

describe('tokenizer errors', () => {
  it("a vocabulary smaller than the model's", () =>
    rejectsWith(
      load(checkpoint, makeSyntheticTokenizer(1000)),
      'tokenizer-too-small',
      /1000 complete pieces; the model's vocabulary is 32000/,
    ));
  it('shorter than its header', () =>
    rejectsWith(load(checkpoint, new Uint8Array(3)), 'tokenizer-bad-header'));
  it('a negative piece length', () => {
    const bad = tokenizer.slice();
    new DataView(bad.buffer).setInt32(4 + 4, -5, true); // the first piece's length
    return rejectsWith(load(checkpoint, bad), 'tokenizer-bad-piece');
  });
  it('a piece running past the end of the file', () =>
    rejectsWith(load(checkpoint, tokenizer.subarray(0, tokenizer.length - 2)), 'tokenizer-too-small'));
});

describe('generation errors', async () => {
  const engine = await load();
  const ok = { prompt: 'Once', steps: 10, temperature: 0.5, topp: 0.9, seed: 1n };
  it('steps out of range', async () => {
    await rejectsWith(
      () => engine.generate({ ...ok, steps: 0 }),
      'bad-steps',
      /from 1 to the model's context 64/,
    );
    await rejectsWith(() => engine.generate({ ...ok, steps: 65 }), 'bad-steps');
    await rejectsWith(() => engine.generate({ ...ok, steps: 2.5 }), 'bad-steps');
  });
  it('steps below the prompt length', () =>
    rejectsWith(
      () => engine.generate({ ...ok, prompt: 'a b c d e f g h i j', steps: 3 }),
      'bad-steps',
      /at least the prompt's/,
    ));
  it('a prompt longer than the context', () =>
    rejectsWith(
      () => engine.generate({ ...ok, prompt: 'x '.repeat(200), steps: 64 }),
      'prompt-too-long',
      /context is 64/,
    ));
  it('bad sampling parameters', async () => {
    await rejectsWith(() => engine.generate({ ...ok, temperature: -0.1 }), 'bad-temperature');
    await rejectsWith(() => engine.generate({ ...ok, temperature: Number.NaN }), 'bad-temperature');
    await rejectsWith(() => engine.generate({ ...ok, topp: 1.01 }), 'bad-top-p');
    await rejectsWith(() => engine.generate({ ...ok, seed: -1n }), 'bad-seed');
    await rejectsWith(() => engine.generate({ ...ok, seed: 2n ** 64n }), 'bad-seed');
  });
  it('token and position out of range in forward', async () => {
    await rejectsWith(() => engine.forward(32000, 0), 'token-out-of-range');
    await rejectsWith(() => engine.forward(1, 64), 'position-out-of-range');
  });
  it('invalid UTF-8 in the prompt is not an error: it goes through byte fallback', () => {
    const r = engine.generate({ ...ok, prompt: new Uint8Array([0xff, 0xfe, 0x41]), steps: 12 });
    expect(r.tokens.slice(0, r.promptTokens)).toEqual(engine.encode(new Uint8Array([0xff, 0xfe, 0x41])));
    expect(r.tokens.slice(1, 3)).toContain(0xff + 3);
  });
  it('a disposed engine says so', async () => {
    const e = await load();
    e.dispose();
    await rejectsWith(() => e.encode('x'), 'disposed');
  });
});

describe('engine module errors', () => {
  it('an unknown backend', () =>
    rejectsWith(
      loadEngine({ checkpoint, tokenizer, backend: 'gpu' as 'simd' }),
      'bad-argument',
      /simd, scalar or auto/,
    ));
  it('a .wasm with imports is refused', () => {
    // (module (import "env" "f" (func)))
    const withImport = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 3, 101, 110, 118, 1, 102, 0, 0,
    ]);
    return rejectsWith(
      loadEngine({ checkpoint, tokenizer, backend: 'scalar', wasm: withImport }),
      'wasm-unavailable',
      /import nothing/,
    );
  });
  it('bytes that are not WebAssembly', () =>
    rejectsWith(
      loadEngine({ checkpoint, tokenizer, backend: 'scalar', wasm: new Uint8Array([1, 2, 3]) }),
      'wasm-unavailable',
    ));
});

describe.skipIf(!nativePath())('native build errors map to the same codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-llm-native-'));
  const ck = join(dir, 'tiny.bin');
  const tok = join(dir, 'tok.bin');
  writeFileSync(ck, checkpoint);
  writeFileSync(tok, tokenizer);
  const base = {
    checkpointPath: ck,
    tokenizerPath: tok,
    prompt: 'Once',
    steps: 10,
    temperature: 0,
    topp: 0.9,
    seed: 0n,
  };
  it('prompt too long and steps', async () => {
    await rejectsWith(runNative({ ...base, prompt: 'x '.repeat(200), steps: 64 }), 'prompt-too-long');
    await rejectsWith(runNative({ ...base, steps: 65 }), 'bad-steps');
  });
  it('truncated checkpoint', async () => {
    writeFileSync(join(dir, 'short.bin'), checkpoint.subarray(0, 5000));
    await rejectsWith(
      runNative({ ...base, checkpointPath: join(dir, 'short.bin') }),
      'checkpoint-size-mismatch',
    );
  });
});

describe('damaged files never crash the engine', () => {
  // Deterministic pseudo-random damage: header fields, lengths and truncation points. Each load must either work or
  // fail with an LlmError — never a WebAssembly trap (an out-of-bounds access) or another exception.
  let s = 12345;
  const rand = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % n;
  };
  const small = makeRandomCheckpoint({ ...TINY_SHAPE, vocabSize: 300, seqLen: 16 }, 5);
  const smallTok = makeSyntheticTokenizer(300);

  it('checkpoints with damaged headers or lengths', async () => {
    for (let t = 0; t < 60; t++) {
      const b = small.slice(0, t % 3 === 0 ? rand(small.length) : small.length);
      const v = new DataView(b.buffer);
      if (b.length >= 28)
        v.setInt32(4 * rand(7), [0, -1, 1, 2, 3, 7, 64, 300, -300, 2 ** 31 - 1][rand(10)]!, true);
      try {
        const e = await loadEngine({ checkpoint: b, tokenizer: smallTok, backend: 'scalar', wasm });
        e.generate({
          prompt: 'hi',
          steps: Math.min(8, e.config.seqLen),
          temperature: 0.7,
          topp: 0.9,
          seed: 1n,
        });
      } catch (err) {
        expect(err, `case ${t}`).toBeInstanceOf(LlmError);
      }
    }
  });

  it('tokenizers with damaged lengths', async () => {
    for (let t = 0; t < 40; t++) {
      const b = smallTok.slice(0, t % 2 === 0 ? rand(smallTok.length) : smallTok.length);
      const v = new DataView(b.buffer);
      const at = 4 + 4 + 8 * rand(50);
      if (at + 4 <= b.length) v.setInt32(at, [-1, 0, 1000, 2 ** 31 - 1, 5][rand(5)]!, true);
      try {
        const e = await loadEngine({ checkpoint: small, tokenizer: b, backend: 'scalar', wasm });
        e.generate({ prompt: 'the tea', steps: 10, temperature: 0, topp: 0.9, seed: 0n });
      } catch (err) {
        expect(err, `case ${t}`).toBeInstanceOf(LlmError);
      }
    }
  });
});

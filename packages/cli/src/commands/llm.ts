// tt llm generate | encode | info: the inference engine from the command line, on local model files.
import { open, stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  ENGINE_VERSION,
  LlmError,
  expectedCheckpointBytes,
  loadEngineFromFiles,
  loadTokenizerFromFile,
  parameterCount,
  readCheckpointHeader,
  runNative,
  type BackendChoice,
  sha256File,
} from '@tt/llm/node';
import { CliError } from '../errors.ts';

const usage = `tt llm <generate|encode|info> [options]

  tt llm generate --checkpoint PATH --tokenizer PATH [--prompt TEXT] [--steps N] [--temperature T] [--topp P]
                  [--seed S] [--backend auto|simd|scalar|native] [--json]
      Runs the model. --steps counts all positions including BOS and the prompt (llama2.c's -n; default: the
      context length, at most 256). --temperature 0 is greedy (default 0.8), --topp default 0.9, --seed a 64-bit
      integer (default 0). With --json the last line is one JSON object: tokens (all ids from BOS), text, ….
  tt llm encode --tokenizer PATH --text TEXT [--json]
      The token ids of TEXT, with BOS and without EOS.
  tt llm info --checkpoint PATH [--json]
      The checkpoint's header, parameter count, size check and sha256.`;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new CliError((e as Error).message, 'tt llm --help', 2);
  }
}

function required(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new CliError(`--${name} is required`, 'tt llm --help', 2);
  return value;
}

function numberFlag(
  name: string,
  text: unknown,
  fallback: number,
  ok: (n: number) => boolean,
  range: string,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(n) || !ok(n))
    throw new CliError(`--${name} must be ${range}, not '${String(text)}'`, undefined, 2);
  return n;
}

function seedFlag(text: unknown): bigint {
  if (text === undefined) return 0n;
  if (typeof text !== 'string' || !/^\d+$/.test(text) || BigInt(text) >= 1n << 64n)
    throw new CliError(`--seed must be an integer from 0 to 2^64-1, not '${String(text)}'`, undefined, 2);
  return BigInt(text);
}

const print = (obj: unknown) =>
  process.stdout.write(
    JSON.stringify(obj, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n',
  );

async function generate(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    checkpoint: { type: 'string' },
    tokenizer: { type: 'string' },
    prompt: { type: 'string' },
    steps: { type: 'string' },
    temperature: { type: 'string' },
    topp: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const checkpointPath = required('checkpoint', values.checkpoint);
  const tokenizerPath = required('tokenizer', values.tokenizer);
  const prompt = values.prompt ?? '';
  const temperature = numberFlag('temperature', values.temperature, 0.8, (n) => n >= 0, 'a number >= 0');
  const topp = numberFlag('topp', values.topp, 0.9, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  const seed = seedFlag(values.seed);
  const backend = values.backend ?? 'auto';
  if (!['auto', 'simd', 'scalar', 'native'].includes(backend))
    throw new CliError(`--backend must be auto, simd, scalar or native, not '${backend}'`, undefined, 2);
  const header = readCheckpointHeader(await readHead(checkpointPath));
  const seqLen = header && header.seqLen > 0 ? header.seqLen : 256;
  const steps = numberFlag(
    'steps',
    values.steps,
    Math.min(256, seqLen),
    (n) => Number.isInteger(n) && n >= 1,
    'a whole number >= 1',
  );

  const started = performance.now();
  if (backend === 'native') {
    const r = await runNative({ checkpointPath, tokenizerPath, prompt, steps, temperature, topp, seed });
    const result = {
      tokens: r.tokens,
      promptTokens: r.promptTokens,
      text: r.text,
      textHex: hex(r.bytes),
      steps,
      temperature,
      topp,
      seed,
      backend,
      engineVersion: ENGINE_VERSION,
      tokensPerSecond: r.forwards / (r.genMs / 1000),
    };
    if (values.json) print(result);
    else {
      process.stdout.write(prompt + r.text + '\n');
      process.stderr.write(
        `${r.forwards} positions, ${result.tokensPerSecond.toFixed(1)} tokens/s (native)\n`,
      );
    }
    return 0;
  }
  const engine = await loadEngineFromFiles({
    checkpointPath,
    tokenizerPath,
    backend: backend as BackendChoice,
  });
  const loadedMs = performance.now() - started;
  const nPrompt = engine.encode(prompt).length;
  let prev = -1;
  if (!values.json) process.stdout.write(prompt);
  const genStart = performance.now();
  let forwards = 0;
  const r = engine.generate({
    onLogits: () => void forwards++,
    prompt,
    steps,
    temperature,
    topp,
    seed,
    onToken: values.json
      ? undefined
      : (token, pos) => {
          // Stream what the model writes, as it writes it; the prompt was printed as given.
          if (pos >= nPrompt && prev >= 0) process.stdout.write(engine.decode(prev, token));
          prev = token;
        },
  });
  const genMs = performance.now() - genStart;
  const tokensPerSecond = forwards / (genMs / 1000);
  if (values.json) {
    print({
      tokens: r.tokens,
      promptTokens: r.promptTokens,
      text: r.text,
      textHex: hex(r.bytes),
      steps,
      temperature,
      topp,
      seed,
      backend: engine.backend,
      engineVersion: ENGINE_VERSION,
      loadMs: Math.round(loadedMs),
      tokensPerSecond,
    });
  } else {
    process.stdout.write('\n');
    process.stderr.write(
      `${forwards} positions, ${tokensPerSecond.toFixed(1)} tokens/s (wasm-${engine.backend})\n`,
    );
  }
  engine.dispose();
  return 0;
}

async function encode(argv: string[]): Promise<number> {
  const { values } = parse(argv, { tokenizer: { type: 'string' }, text: { type: 'string' } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const tok = await loadTokenizerFromFile(required('tokenizer', values.tokenizer));
  if (values.text === undefined) throw new CliError('--text is required', 'tt llm --help', 2);
  const tokens = tok.encode(values.text, { bos: true, eos: false });
  if (values.json) print({ tokens });
  else console.log(tokens.join(' '));
  return 0;
}

async function readHead(path: string): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new CliError(
      `cannot open ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'pass an existing llama2.c checkpoint, or `pnpm tt model fetch` one',
    );
  }
  try {
    const buf = new Uint8Array(28);
    const { bytesRead } = await fh.read(buf, 0, 28, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function info(argv: string[]): Promise<number> {
  const { values } = parse(argv, { checkpoint: { type: 'string' } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const path = required('checkpoint', values.checkpoint);
  const header = readCheckpointHeader(await readHead(path));
  const size = (await stat(path)).size;
  if (!header)
    throw new CliError(`${path} has ${size} bytes, less than a llama2.c header (28): not a checkpoint`);
  const valid =
    header.dim > 0 &&
    header.nHeads > 0 &&
    header.nKvHeads > 0 &&
    header.dim % header.nHeads === 0 &&
    header.nHeads % header.nKvHeads === 0;
  const expected = valid ? expectedCheckpointBytes(header) : null;
  const result = {
    path,
    header,
    headSize: valid ? header.dim / header.nHeads : null,
    parameters: valid ? parameterCount(header) : null,
    sizeBytes: size,
    expectedBytes: expected,
    sizeMatches: expected === size,
    sha256: (await sha256File(path)).hex,
  };
  if (values.json) print(result);
  else {
    const h = header;
    console.log(`checkpoint ${path}`);
    console.log(
      `  dim ${h.dim}, hidden_dim ${h.hiddenDim}, n_layers ${h.nLayers}, n_heads ${h.nHeads}, n_kv_heads ${h.nKvHeads}, vocab_size ${h.vocabSize}, seq_len ${h.seqLen}, classifier ${h.sharedClassifier ? 'shared' : 'unshared'}`,
    );
    console.log(`  parameters ${result.parameters ?? 'unknown (inconsistent header)'}`);
    console.log(
      `  size ${size} bytes${expected === null ? '' : expected === size ? ' (matches the header)' : ` — the header needs ${expected}: truncated or not a llama2.c checkpoint`}`,
    );
    console.log(`  sha256 ${result.sha256}`);
  }
  return result.sizeMatches ? 0 : 1;
}

function hex(b: Uint8Array): string {
  return '0x' + Buffer.from(b).toString('hex');
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'generate':
        return await generate(rest);
      case 'encode':
        return await encode(rest);
      case 'info':
        return await info(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        console.log(usage);
        return sub ? 0 : 2;
      default:
        throw new CliError(`unknown llm command '${sub}'`, 'tt llm generate | encode | info', 2);
    }
  } catch (e) {
    // The engine's errors already say what is wrong and what to do: show them as user errors, not stack traces.
    if (e instanceof LlmError) throw new CliError(e.message);
    throw e;
  }
}

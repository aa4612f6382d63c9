// Driving dist/llm-native (the gcc build of the same C) from TypeScript: the benchmark's baseline and the third
// backend of the bit-exactness tests. Temperature and top-p go over as float32 bit patterns, the prompt as hex,
// so nothing is re-parsed differently on the two sides.
import { execFile } from 'node:child_process';
import { cError, llmError } from './errors.ts';
import { nativePath } from './paths.ts';

export interface NativeRunOptions {
  checkpointPath: string;
  tokenizerPath: string;
  prompt: string | Uint8Array;
  steps: number;
  temperature: number;
  topp: number;
  seed: bigint | number;
  /** Also return a 64-bit hash of each forward pass's logits bits (see logitsHash in test/hash.ts). */
  logitsHash?: boolean;
}

export interface NativeRunResult {
  tokens: number[];
  promptTokens: number;
  bytes: Uint8Array;
  text: string;
  logitsHash: string[];
  forwards: number;
  loadMs: number;
  genMs: number;
  /** CPU time of the generation loop (user + system). */
  genCpuMs: number;
  maxRssKb: number;
}

/** A number as the float32 bit pattern llm-native's --temp-bits and --topp-bits take (8 hex digits). */
export function f32Bits(x: number): string {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return v.getUint32(0, true).toString(16).padStart(8, '0');
}

export async function runNative(opts: NativeRunOptions): Promise<NativeRunResult> {
  const bin = nativePath();
  if (!bin) throw llmError('native-unavailable');
  const prompt = typeof opts.prompt === 'string' ? new TextEncoder().encode(opts.prompt) : opts.prompt;
  const args = [
    '--checkpoint',
    opts.checkpointPath,
    '--tokenizer',
    opts.tokenizerPath,
    '--steps',
    String(opts.steps),
    '--prompt-hex',
    Buffer.from(prompt).toString('hex'),
    '--temp-bits',
    f32Bits(opts.temperature),
    '--topp-bits',
    f32Bits(opts.topp),
    '--seed',
    BigInt(opts.seed).toString(),
  ];
  if (opts.logitsHash) args.push('--logits-hash');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 64 << 20 }, (err, out) => {
      // Exit code 2 carries a JSON error on stdout; anything else is a crash.
      if (err && !(err.code === 2 && out))
        reject(llmError('native-failed', `llm-native failed: ${err.message}`));
      else resolve(out);
    });
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  const json = JSON.parse(line) as Record<string, unknown>;
  if (typeof json.error === 'number') throw cError(json.error, `native: ${String(json.detail)}`);
  const bytes = new Uint8Array(Buffer.from(String(json.bytesHex), 'hex'));
  return {
    tokens: json.tokens as number[],
    promptTokens: json.promptTokens as number,
    bytes,
    text: new TextDecoder().decode(bytes),
    logitsHash: json.logitsHash as string[],
    forwards: json.forwards as number,
    loadMs: json.loadMs as number,
    genMs: json.genMs as number,
    genCpuMs: json.genCpuMs as number,
    maxRssKb: json.maxRssKb as number,
  };
}

// pnpm bench:decode [--json] [--repeat N]: how long decoding an input payload takes at the InputBox's size limit (2 MiB),
// the case that once stalled the backend for seconds. Rows, each the best of N runs (default 5), in one process:
//   copy        copying the 2 MiB prompt once (Uint8Array.slice): the least work any decoder must do (the baseline)
//   codec       @tt/protocol's decodePromptPayload, what the backend runs
//   abi-coder   ethers' general ABI coder, decoding and re-encoding to check the encoding is canonical: the old way
// Ratios are against `copy` measured in the same run, so they hold on a loaded machine as well as an idle one.
import { parseArgs } from 'node:util';
import { AbiCoder, getBytes, hexlify } from 'ethers';
import { decodePromptPayload, encodePromptPayload } from '../src/index.ts';

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, repeat: { type: 'string' } },
  strict: true,
});
const repeat = Number(values.repeat ?? 5);
if (!Number.isInteger(repeat) || repeat < 1)
  throw new Error(`--repeat takes a whole number ≥ 1, not ${values.repeat}`);

const PROMPT_BYTES = 2 * 1024 * 1024 - 1024; // with the 196-byte head and the padding, just under the 2 MiB limit
const payload = encodePromptPayload({
  conversationId: 7n,
  prompt: new Uint8Array(PROMPT_BYTES).fill(0x41),
  steps: 256,
  temperatureMilli: 800,
  topPMilli: 900,
});
const TYPES = ['uint256', 'bytes', 'uint32', 'uint32', 'uint32'];

const runs: Record<string, () => void> = {
  copy: () => void payload.slice(4 + 6 * 32, 4 + 6 * 32 + PROMPT_BYTES),
  codec: () => void decodePromptPayload(payload),
  'abi-coder': () => {
    const coder = AbiCoder.defaultAbiCoder();
    const values = coder.decode(TYPES, payload.subarray(4)).toArray();
    if (hexlify(getBytes(coder.encode(TYPES, values))) !== hexlify(payload.subarray(4)))
      throw new Error('not canonical');
  },
};

const best: Record<string, number> = {};
for (let r = 0; r < repeat; r++) {
  for (const [name, run] of Object.entries(runs)) {
    const t = performance.now();
    run();
    best[name] = Math.min(best[name] ?? Infinity, performance.now() - t);
  }
}
const rows = Object.entries(best).map(([name, ms]) => ({ name, ms, ratio: ms / best.copy! }));

if (values.json) {
  console.log(JSON.stringify({ payloadBytes: payload.length, repeat, rows }));
} else {
  console.log(`decoding a ${payload.length}-byte input payload, best of ${repeat}`);
  console.log(`${'row'.padEnd(10)} ${'ms'.padStart(9)} ${'× copy'.padStart(9)}`);
  for (const r of rows)
    console.log(`${r.name.padEnd(10)} ${r.ms.toFixed(2).padStart(9)} ${r.ratio.toFixed(1).padStart(9)}`);
}

// Decodes an input payload: the call data of prompt(uint256,bytes,uint32,uint32,uint32) from ITrustAndTeachInput.
// ethers decodes leniently (it masks integers to their width, ignores trailing bytes and padding), so after decoding
// the arguments are encoded again and must give back the very same bytes: only the one canonical encoding passes.
// Anything else is a bad payload, because a payload with two readings could mean two different prompts.
import { getBytes, hexlify, type Interface } from 'ethers';
import { RejectError } from './errors.ts';

export interface PromptInput {
  conversationId: bigint;
  /** raw bytes, not necessarily UTF-8 */
  prompt: Uint8Array;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
}

export function decodePromptPayload(iface: Interface, payload: Uint8Array): PromptInput {
  const fragment = iface.getFunction('prompt');
  if (!fragment) throw new Error('the ITrustAndTeachInput interface has no prompt function'); // a build error, not an input's
  const signature = fragment.format('sighash');
  const bad = (why: string) =>
    new RejectError(
      'bad-payload',
      `payload is not a valid ${signature} call: ${why}; send prompts through TrustAndTeach.sendPrompt(...)`,
    );

  if (payload.length < 4) throw bad(`it is ${payload.length} byte(s), shorter than a 4-byte selector`);
  const selector = hexlify(payload.subarray(0, 4));
  if (selector !== fragment.selector) throw bad(`selector ${selector} is not ${fragment.selector}`);

  // ethers defers some decoding errors (an absurd length, an offset past the end) until a value is read, so every
  // value is read here, inside the try, and the re-encoding is checked there too.
  // ethers takes seconds on a payload of megabytes (hex strings, decode then re-encode): check large ones by hand
  if (payload.length > LARGE_PAYLOAD_BYTES) return decodeLargeCanonical(payload, bad);

  let values: unknown[];
  let canonical: Uint8Array;
  try {
    values = iface.decodeFunctionData(fragment, payload).toArray();
    canonical = getBytes(iface.encodeFunctionData(fragment, values));
  } catch (err) {
    throw bad(
      `ABI decoding failed (${err instanceof Error ? err.message.split('(')[0]!.trim() : String(err)})`,
    );
  }
  if (!sameBytes(canonical, payload)) {
    if (payload.length > canonical.length && sameBytes(canonical, payload.subarray(0, canonical.length))) {
      throw bad(`${payload.length - canonical.length} trailing byte(s) after the arguments`);
    }
    throw bad(
      'not the canonical ABI encoding (non-standard offset, non-zero padding, or an integer wider than its type)',
    );
  }

  const [conversationId, prompt, steps, temperatureMilli, topPMilli] = values as [
    bigint,
    string,
    bigint,
    bigint,
    bigint,
  ];
  return {
    conversationId,
    prompt: getBytes(prompt),
    steps: Number(steps),
    temperatureMilli: Number(temperatureMilli),
    topPMilli: Number(topPMilli),
  };
}

/** Above this size the canonical layout is checked by hand: a valid prompt payload is at most 4 + 192 + 4096 bytes. */
const LARGE_PAYLOAD_BYTES = 8192;

/**
 * The one canonical encoding of prompt(uint256 id, bytes prompt, uint32, uint32, uint32), checked in linear time:
 * head words id, offset 0xa0, three uint32 words (28 zero bytes each), then the length word, the bytes and zero
 * padding to a whole word, and nothing after. Same results as the ethers path (tested against an independent
 * decoder in @tt/reliability), without its cost on megabyte payloads.
 */
function decodeLargeCanonical(payload: Uint8Array, bad: (why: string) => RejectError): PromptInput {
  const word = (i: number) => payload.subarray(4 + 32 * i, 4 + 32 * (i + 1));
  const uint = (i: number) => BigInt(hexlify(word(i)));
  const zeros = (b: Uint8Array) => b.every((x) => x === 0);
  const nonCanonical = bad(
    'not the canonical ABI encoding (non-standard offset, non-zero padding, or an integer wider than its type)',
  );
  if (payload.length < 4 + 6 * 32) throw bad('ABI decoding failed (data too short)');
  if (uint(1) !== 0xa0n) throw nonCanonical;
  for (const i of [2, 3, 4]) if (!zeros(word(i).subarray(0, 28))) throw nonCanonical;
  const length = uint(5);
  const start = 4 + 6 * 32;
  const end = BigInt(start) + length;
  const padded = BigInt(start) + ((length + 31n) / 32n) * 32n;
  if (padded > BigInt(payload.length))
    throw bad('ABI decoding failed (data too short for the prompt length)');
  if (padded < BigInt(payload.length))
    throw bad(`${BigInt(payload.length) - padded} trailing byte(s) after the arguments`);
  if (!zeros(payload.subarray(Number(end)))) throw nonCanonical;
  return {
    conversationId: uint(0),
    prompt: payload.slice(start, Number(end)),
    steps: Number(uint(2)),
    temperatureMilli: Number(uint(3)),
    topPMilli: Number(uint(4)),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

// What the backend must do with an input, worked out independently of the backend's code from docs/interfaces.md:
// the set of report codes a rejection may carry (several rules can be broken at once, the backend picks one), or
// 'accept'. A rejection of a payload that decodes as a TrustAndTeach prompt is recorded on chain (`recorded`): the
// input is accepted with the report and one rejectPrompt voucher (docs/interfaces.md, "Rejected prompts"). The decoding is ethers' general ABI coder, not @tt/protocol's codec, so the two check each other; the
// limits are the protocol's numbers, the same the contract enforces.
import { concat, getBytes, hexlify } from 'ethers';
import {
  MAX_PROMPT_BYTES,
  MAX_TEMPERATURE_MILLI,
  MAX_TOP_P_MILLI,
  MIN_STEPS,
  MIN_TOP_P_MILLI,
  type RejectCode,
} from '@tt/protocol';
import { inputIface } from './devnet.ts';

export interface Decoded {
  id: bigint;
  prompt: Uint8Array;
  steps: bigint;
  temperatureMilli: bigint;
  topPMilli: bigint;
}

/** The payload's arguments if it is exactly the canonical ABI encoding of prompt(...), else null. */
export function strictDecode(payload: string): Decoded | null {
  const bytes = getBytes(payload);
  const fragment = inputIface.getFunction('prompt')!;
  if (bytes.length < 4 || hexlify(bytes.subarray(0, 4)) !== fragment.selector) return null;
  try {
    const v = inputIface.decodeFunctionData(fragment, bytes).toArray() as [
      bigint,
      string,
      bigint,
      bigint,
      bigint,
    ];
    const again = inputIface.encodeFunctionData('prompt', v);
    if (again !== hexlify(bytes)) return null;
    return { id: v[0], prompt: getBytes(v[1]), steps: v[2], temperatureMilli: v[3], topPMilli: v[4] };
  } catch {
    return null;
  }
}

export type Expectation =
  | { accept: true; decoded: Decoded }
  /** `recorded`: the prompt whose rejection goes on chain through a rejectPrompt voucher. */
  | { accept: false; codes: Set<RejectCode>; recorded?: Decoded };

export function expectOutcome(o: {
  fromTrustAndTeach: boolean;
  payload: string;
  seqLen: number;
  countTokens: (prompt: Uint8Array) => number;
}): Expectation {
  if (!o.fromTrustAndTeach) return { accept: false, codes: new Set(['unknown-sender']) };
  const d = strictDecode(o.payload);
  if (!d) return { accept: false, codes: new Set(['bad-payload']) };
  const codes = new Set<RejectCode>();
  if (d.prompt.length === 0) codes.add('empty-prompt');
  if (d.prompt.length > MAX_PROMPT_BYTES) codes.add('prompt-too-long');
  const stepsOk = d.steps >= BigInt(MIN_STEPS) && d.steps <= BigInt(o.seqLen);
  if (!stepsOk) codes.add('bad-steps');
  if (d.temperatureMilli > BigInt(MAX_TEMPERATURE_MILLI)) codes.add('bad-temperature');
  if (d.topPMilli < BigInt(MIN_TOP_P_MILLI) || d.topPMilli > BigInt(MAX_TOP_P_MILLI)) codes.add('bad-top-p');
  if (d.prompt.length > 0 && d.prompt.length <= MAX_PROMPT_BYTES) {
    const n = o.countTokens(d.prompt);
    if (n > o.seqLen || (stepsOk && BigInt(n) > d.steps)) codes.add('prompt-exceeds-context');
  }
  return codes.size ? { accept: false, codes, recorded: d } : { accept: true, decoded: d };
}

export const withTrailing = (payload: string, extra: Uint8Array) => hexlify(concat([payload, extra]));

// The gas benchmark's backend: a real process speaking the Cartesi v1 rollup HTTP API at ROLLUP_HTTP_SERVER_URL, like
// dapp/dist/backend.mjs but without a model. For each TrustAndTeach prompt input it emits two vouchers to TrustAndTeach
// calling postResponse with a text of exactly 1,024 (response 0) and 2,048 (response 1) ASCII characters, the seed
// of docs/interfaces.md, the deployed model hash and the conversation's sampling parameters, so the contract accepts
// them. Anything else is rejected after one error report. Run with `node --import tsx` (it imports the TypeScript of
// @tt/contracts and @tt/protocol).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ZeroHash, getAddress, toUtf8Bytes } from 'ethers';
import { TrustAndTeach__factory } from '@tt/contracts';
import {
  decodePromptPayload,
  deriveSeed,
  encodeErrorReport,
  fromHex,
  toHex,
  type ErrorReportCode,
} from '@tt/protocol';

/** Response lengths, by response index. */
export const BENCH_TEXT_LENGTHS = [1024, 2048] as const;

/** Printable ASCII text of exactly `length` characters (= bytes), like a story the model would write. */
export function storyText(length: number): string {
  const sentence = 'Once upon a time, there was a little girl named Lily who loved to play outside. ';
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
}

async function run(): Promise<void> {
  const url = process.env.ROLLUP_HTTP_SERVER_URL;
  const contract = process.env.TT_CONTRACT;
  if (!url) throw new Error('ROLLUP_HTTP_SERVER_URL is not set');
  if (!contract) throw new Error('TT_CONTRACT is not set');
  const trustAndTeach = getAddress(contract);
  // The devnet deploys TrustAndTeach for sha256(checkpoint ‖ tokenizer), or the zero hash without a model.
  const modelHash =
    process.env.TT_CHECKPOINT && process.env.TT_TOKENIZER
      ? '0x' +
        createHash('sha256')
          .update(readFileSync(process.env.TT_CHECKPOINT))
          .update(readFileSync(process.env.TT_TOKENIZER))
          .digest('hex')
      : ZeroHash;
  const tt = TrustAndTeach__factory.createInterface();

  const post = async (route: string, body: unknown): Promise<Response> => {
    const res = await fetch(`${url}/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return res;
  };
  const report = (code: ErrorReportCode, message: string) =>
    post('report', { payload: toHex(encodeErrorReport(code, message)) });

  type Advance = { payload: string; metadata: { msg_sender: string } };
  async function advance(data: Advance): Promise<'accept' | 'reject'> {
    if (getAddress(data.metadata.msg_sender) !== trustAndTeach) {
      await report('unknown-sender', `only ${trustAndTeach} sends prompts`);
      return 'reject';
    }
    let prompt;
    try {
      prompt = decodePromptPayload(fromHex(data.payload));
    } catch {
      await report('bad-payload', 'not a TrustAndTeach prompt input');
      return 'reject';
    }
    const { conversationId, steps, temperatureMilli, topPMilli } = prompt;
    for (const [index, length] of BENCH_TEXT_LENGTHS.entries()) {
      const payload = tt.encodeFunctionData('postResponse', [
        conversationId,
        index,
        toUtf8Bytes(storyText(length)),
        modelHash,
        deriveSeed(conversationId, index),
        steps,
        temperatureMilli,
        topPMilli,
      ]);
      await post('voucher', { destination: trustAndTeach, payload });
    }
    return 'accept';
  }

  let status: 'accept' | 'reject' = 'accept';
  for (;;) {
    let res: Response;
    try {
      res = await post('finish', { status });
    } catch {
      await new Promise((r) => setTimeout(r, 200)); // the node may be restarting
      continue;
    }
    if (res.status === 202) continue;
    const req = (await res.json()) as { request_type: string; data: Advance };
    if (req.request_type === 'advance_state') {
      status = await advance(req.data);
    } else {
      await report('unknown-inspect-path', 'the gas benchmark backend answers no inspects');
      status = 'accept';
    }
  }
}

// Only when run as the backend process, not when the benchmark imports the helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

// Gas of the TrustAndTeach operations on Hardhat's in-process chain with the real Cartesi v1 InputBox: the quick
// variant, `pnpm --filter @tt/contracts bench:gas [--json]` (a table, or one JSON object with the keys below). The root
// `pnpm bench:gas` runs packages/devnet/bench/gas.ts instead, which posts responses through the real voucher path.
// Responses are posted by a direct call from the bound DApp address (an impersonated account): the voucher path adds
// CartesiDApp.executeVoucher's proof check on top, which is the DApp's cost, not this contract's.
// The package script compiles first: the typechain factories (and their bytecode) are loaded when this module is.
import type { ContractTransactionResponse } from 'ethers';
import { deployBound, postResponse, type Fixture } from '../test/fixture.ts';

/** The 2023 prototype's costs and this project's goals (issue 3). */
const GOALS = {
  sendPromptFirst: 150_000,
  sendPromptLater: 150_000,
  post1024: Math.floor(922_019 / 4),
  post2048: undefined,
  rankFirst: 100_000,
  rankUpdate: undefined,
} as const;
type Key = keyof typeof GOALS;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error('no receipt');
  return Number(receipt.gasUsed);
}

/** Printable ASCII text of exactly `length` characters (= bytes), like a story the model would write. */
function storyText(length: number): Uint8Array {
  const sentence = 'Once upon a time, there was a little girl named Lily who loved to play outside. ';
  return new TextEncoder().encode(sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length));
}

async function measure(f: Fixture): Promise<Record<Key, number>> {
  const prompt = 'Once upon a time, there was a little dog';
  const sendPromptFirst = await gasOf(f.tt.connect(f.stranger)['sendPrompt(string,uint32)'](prompt, 256));
  const sendPromptLater = await gasOf(f.tt.connect(f.stranger)['sendPrompt(string,uint32)'](prompt, 256));
  const post1024 = await gasOf(postResponse(f, 0n, 0, storyText(1024)));
  const post2048 = await gasOf(postResponse(f, 0n, 1, storyText(2048)));
  // A ranker who has never ranked anything: the most storage a ranking writes.
  const ranker = f.rankers[0]!;
  const rankFirst = await gasOf(f.tt.connect(ranker).submitRanking(0n, [0, 1]));
  const rankUpdate = await gasOf(f.tt.connect(ranker).submitRanking(0n, [1, 0]));
  return { sendPromptFirst, sendPromptLater, post1024, post2048, rankFirst, rankUpdate };
}

function table(results: Record<Key, number>): string {
  const rows = (Object.keys(GOALS) as Key[]).map((key) => {
    const goal = GOALS[key];
    const verdict = goal === undefined ? '' : results[key] <= goal ? `≤ ${goal} ok` : `> ${goal} OVER`;
    return `${key.padEnd(16)} ${String(results[key]).padStart(9)}  ${verdict}`;
  });
  return ['operation              gas  goal', ...rows].join('\n');
}

async function main(): Promise<void> {
  const results = await measure(await deployBound());
  if (process.argv.includes('--json')) console.log(JSON.stringify(results));
  else console.log(table(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

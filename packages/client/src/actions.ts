// The two transactions a person sends to TrustAndTeach: a prompt and a ranking. Each returns what the next step needs
// (the conversation id and input index, or the ranking as recorded), decoded from the receipt's events.
import { DEFAULT_TEMPERATURE_MILLI, DEFAULT_TOP_P_MILLI } from '@tt/protocol';
import { explainContractError, type TrustAndTeach } from './contract.ts';
import { TtError } from './errors.ts';
import { sendWithNonceRetry } from './txerrors.ts';
import type { GenerationParams, Hex, RankingOrder } from './model.ts';

export interface SentPrompt {
  conversationId: bigint;
  inputIndex: number;
  txHash: Hex;
  blockNumber: number;
  /** The model version that answers it (0 = the base) and its hash. */
  modelVersion: number;
  modelHash: Hex;
}

/**
 * Sends a prompt; `params.steps` defaults to the model's context (seqLen) when not given. `modelVersion` picks the
 * model version that answers (0 = the base); without it the contract takes the latest registered version.
 */
export async function sendPrompt(
  contract: TrustAndTeach,
  prompt: string,
  params: Partial<GenerationParams>,
  onSent?: (txHash: Hex) => void,
  modelVersion?: number,
): Promise<SentPrompt> {
  const account = await signerAddress(contract);
  if (prompt.length === 0)
    throw new TtError('bad-argument', 'the prompt is empty', 'give some text for the model to continue');
  const steps = params.steps ?? Number(await contract.seqLen());
  const temperature = params.temperatureMilli ?? DEFAULT_TEMPERATURE_MILLI;
  const topP = params.topPMilli ?? DEFAULT_TOP_P_MILLI;
  const versioned = contract.getFunction('sendPrompt(string,uint32,uint32,uint32,uint16)');
  const latest = contract.getFunction('sendPrompt(string,uint32,uint32,uint32)');
  const args = [prompt, steps, temperature, topP] as const;
  const send = () => (modelVersion === undefined ? latest(...args) : versioned(...args, modelVersion));
  let receipt: Awaited<ReturnType<Awaited<ReturnType<typeof latest>>['wait']>>;
  try {
    // The dry run turns a contract refusal into its named error before any gas is spent.
    if (modelVersion === undefined) await latest.staticCall(...args);
    else await versioned.staticCall(...args, modelVersion);
    const tx = await sendWithNonceRetry(send);
    onSent?.(tx.hash as Hex);
    receipt = await tx.wait();
  } catch (err) {
    throw explainContractError(err, account);
  }
  if (!receipt) throw new TtError('timeout', 'the prompt transaction was dropped', 'send it again');
  let sent: Omit<SentPrompt, 'modelVersion' | 'modelHash'> | null = null;
  let model: { modelVersion: number; modelHash: Hex } | null = null;
  for (const log of receipt.logs) {
    const parsed = safeParse(contract, log);
    if (parsed?.name === 'PromptSubmitted') {
      sent = {
        conversationId: parsed.args.conversationId as bigint,
        inputIndex: Number(parsed.args.inputIndex),
        txHash: receipt.hash as Hex,
        blockNumber: receipt.blockNumber,
      };
    }
    if (parsed?.name === 'PromptModel')
      model = { modelVersion: Number(parsed.args.modelVersion), modelHash: parsed.args.modelHash as Hex };
  }
  // No PromptModel event: the base answers.
  if (sent)
    return { ...sent, ...(model ?? { modelVersion: 0, modelHash: (await contract.modelHash()) as Hex }) };
  throw new TtError('bad-argument', `transaction ${receipt.hash} emitted no PromptSubmitted event`);
}

export interface SentRanking {
  conversationId: bigint;
  ranker: Hex;
  order: RankingOrder;
  /** The ranker's order before this call, or null for a first ranking. */
  previousOrder: RankingOrder | null;
  txHash: Hex;
}

/** Submits (or changes) the signer's ranking; ranking the same order again is a no-op reported as `unchanged`. */
export async function submitRanking(
  contract: TrustAndTeach,
  conversationId: bigint,
  order: RankingOrder,
  onSent?: (txHash: Hex) => void,
): Promise<SentRanking | { unchanged: true; conversationId: bigint; ranker: Hex; order: RankingOrder }> {
  const ranker = (await signerAddress(contract)) as Hex;
  const current = await contract.rankingOf(conversationId, ranker).catch((err: unknown) => {
    throw explainContractError(err, ranker);
  });
  if (current.length === 2 && Number(current[0]) === order[0])
    return { unchanged: true, conversationId, ranker, order };
  const submit = contract.getFunction('submitRanking');
  let receipt: Awaited<ReturnType<Awaited<ReturnType<typeof submit>>['wait']>>;
  try {
    await submit.staticCall(conversationId, [...order]);
    const tx = await sendWithNonceRetry(() => submit(conversationId, [...order]));
    onSent?.(tx.hash as Hex);
    receipt = await tx.wait();
  } catch (err) {
    throw explainContractError(err, ranker);
  }
  if (!receipt) throw new TtError('timeout', 'the ranking transaction was dropped', 'send it again');
  return {
    conversationId,
    ranker,
    order,
    previousOrder: current.length === 2 ? (Number(current[0]) === 0 ? [0, 1] : [1, 0]) : null,
    txHash: receipt.hash as Hex,
  };
}

async function signerAddress(contract: TrustAndTeach): Promise<string> {
  const runner = contract.runner as { getAddress?: () => Promise<string> } | null;
  if (!runner?.getAddress)
    throw new TtError(
      'no-signer',
      'sending a transaction needs an account',
      'connect a wallet or pass --account / --private-key',
    );
  return runner.getAddress();
}

function safeParse(contract: TrustAndTeach, log: { topics: readonly string[]; data: string }) {
  try {
    return contract.interface.parseLog(log);
  } catch {
    return null;
  }
}

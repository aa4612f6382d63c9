// The TrustAndTeach contract through its typechain binding, and its custom errors turned into messages with a next step.
import { TrustAndTeach__factory, type TrustAndTeach } from '@tt/contracts';
import type { ContractRunner } from 'ethers';
import { MIN_STEPS } from '@tt/protocol';
import { TtError } from './errors.ts';
import { explainTxError } from './txerrors.ts';

export type { TrustAndTeach };

export function trustAndTeach(address: string, runner: ContractRunner): TrustAndTeach {
  return TrustAndTeach__factory.connect(address, runner);
}

const trustAndTeachInterface = TrustAndTeach__factory.createInterface();

/** Decodes a TrustAndTeach revert (from a send or a static call) into a TtError; other errors go to explainTxError. */
export function explainContractError(err: unknown, account: string): Error {
  const data = revertData(err);
  const parsed = data ? safeParseError(data) : null;
  if (!parsed) return explainTxError(err, account);
  const a = parsed.args;
  switch (parsed.name) {
    case 'UnknownConversation':
      return new TtError(
        'unknown-conversation',
        `there is no conversation ${a[0]}`,
        'list conversations with `pnpm tt status`',
      );
    case 'ResponsesNotPosted':
      return new TtError(
        'responses-not-posted',
        `conversation ${a[0]} cannot be ranked yet: ${a[1]} of its 2 responses are on chain`,
        `post them first: \`pnpm tt post ${a[0]} --wait\``,
      );
    case 'RankingUnchanged':
      return new TtError(
        'bad-argument',
        `${a[1]} already ranked conversation ${a[0]} in this order`,
        'nothing to change',
      );
    case 'EmptyPrompt':
      return new TtError('bad-argument', 'the prompt is empty', 'give some text to continue');
    case 'PromptTooLong':
      return new TtError('bad-argument', `the prompt is ${a[0]} bytes; the most is ${a[1]}`, 'shorten it');
    case 'StepsOutOfRange':
      return new TtError(
        'bad-argument',
        `steps must be ${MIN_STEPS}..${a[1]} (the model's context), not ${a[0]}`,
        Number(a[0]) < MIN_STEPS
          ? `BOS and one prompt token already take ${MIN_STEPS}: pick a larger --steps`
          : 'pick a smaller --steps',
      );
    case 'TemperatureOutOfRange':
      return new TtError(
        'bad-argument',
        `temperature ${Number(a[0]) / 1000} is above 2`,
        'use --temperature 0..2',
      );
    case 'TopPOutOfRange':
      return new TtError(
        'bad-argument',
        `top-p ${Number(a[0]) / 1000} is outside (0, 1]`,
        'use --topp 0.001..1',
      );
    case 'DAppNotBound':
      return new TtError(
        'no-deployments',
        'the contract has no DApp bound yet, so it cannot take prompts',
        'finish the deployment (bindDApp)',
      );
    default:
      return new TtError('bad-argument', `the contract refused: ${parsed.name}(${a.join(', ')})`);
  }
}

function revertData(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const x = e as { data?: unknown; error?: unknown; info?: { error?: unknown }; cause?: unknown };
    if (typeof x.data === 'string' && x.data.startsWith('0x') && x.data.length >= 10) return x.data;
    if (x.data && typeof x.data === 'object' && typeof (x.data as { data?: unknown }).data === 'string') {
      return (x.data as { data: string }).data;
    }
    e = x.error ?? x.info?.error ?? x.cause;
  }
  return null;
}

function safeParseError(data: string) {
  try {
    return trustAndTeachInterface.parseError(data);
  } catch {
    return null;
  }
}

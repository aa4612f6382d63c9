// tt teach --on-chain IDS | --all-ranked: fine-tune inside the rollup. Sends TrustAndTeach.teach(ids) (the contract
// reads the rankings itself); with --wait, follows the machine's training, sending continueTeaching() while a bounded
// slice per input leaves steps to do, then executes the registerModel voucher once its epoch is proven and prints the
// new version.
import {
  continueTeaching,
  executeVoucher,
  readConversations,
  readModelVersions,
  readTeachInput,
  readTeachRequests,
  requestTeach,
  teachableConversations,
  trustAndTeach,
  TtError,
  type TeachInputState,
  type TeachRequest,
} from '@tt/client';
import type { Hex } from '@tt/protocol';
import { CliError } from '../errors.ts';
import { readOptions, signerFor, type Connection } from '../flow/context.ts';
import type { GlobalFlags } from '../flow/args.ts';
import type { Output } from '../flow/output.ts';
import { poll } from '../flow/wait.ts';

export interface OnChainFlags {
  ids?: string;
  allRanked: boolean;
  wait: boolean;
  timeoutSeconds?: number;
}

function parseIds(text: string): bigint[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p)))
    throw new CliError(`--on-chain takes conversation ids like 0,3,7, not '${text}'`, undefined, 2);
  return parts.map((p) => BigInt(p));
}

export async function teachOnChain(
  flags: OnChainFlags,
  values: GlobalFlags,
  conn: Connection,
  out: Output,
): Promise<number> {
  const signer = signerFor(values, conn);
  const address = conn.deployments.contracts.TrustAndTeach;
  const contract = trustAndTeach(address, signer);
  const fromBlock = conn.deployments.trustAndTeachDeploymentBlock;
  let ids: bigint[];
  if (flags.allRanked) {
    const [conversations, requests] = await Promise.all([
      readConversations(readOptions(conn)),
      readTeachRequests(contract, fromBlock),
    ]);
    ids = teachableConversations(conversations, requests);
    if (ids.length === 0)
      throw new TtError(
        'dataset-empty',
        'no ranked conversation is waiting to be taught (every one with a majority was sent already, or none is ranked)',
        'rank answered conversations first: `pnpm tt rank ID --confirm`',
      );
    out.info(`${ids.length} ranked conversation(s) not taught yet: ${ids.join(', ')}`);
  } else ids = parseIds(flags.ids!);

  const request = await requestTeach(contract, ids);
  out.info(
    `teach input ${request.inputIndex}: ${request.conversationIds.length} pair(s)` +
      (request.skippedTies ? `, ${request.skippedTies} tie(s) skipped` : '') +
      ` (tx ${request.txHash})`,
  );
  const result: Record<string, unknown> = {
    inputIndex: request.inputIndex,
    conversationIds: request.conversationIds.map(String),
    chosenIndices: request.chosenIndices,
    skippedTies: request.skippedTies,
    txHash: request.txHash,
  };
  if (!flags.wait) {
    out.result(result, () => [
      `inputIndex ${request.inputIndex}`,
      'the machine trains a bounded number of steps per input: follow it with --wait, or send more inputs with',
      `\`pnpm tt teach --continue\`; \`pnpm tt models\` lists the versions once registered`,
    ]);
    return 0;
  }
  const version = await followTraining(request, conn, contract, signer, out, flags.timeoutSeconds);
  out.result({ ...result, ...version }, () => [
    `model version ${version.version}: ${version.modelHash}`,
    `  parent ${version.parentHash}, ${version.pairs} pairs, ${version.steps} steps, final loss ${version.loss.toFixed(4)}`,
    `next: pnpm tt prompt "Once upon a time" --version ${version.version} --wait`,
  ]);
  return 0;
}

/** Sends continueTeaching() alone (tt teach --continue). */
export async function continueOnChain(values: GlobalFlags, conn: Connection, out: Output): Promise<number> {
  const contract = trustAndTeach(conn.deployments.contracts.TrustAndTeach, signerFor(values, conn));
  const inputIndex = await continueTeaching(contract);
  out.result({ inputIndex }, () => [`continue input ${inputIndex}`]);
  return 0;
}

async function followTraining(
  request: TeachRequest,
  conn: Connection,
  contract: ReturnType<typeof trustAndTeach>,
  signer: ReturnType<typeof signerFor>,
  out: Output,
  timeoutSeconds: number | undefined,
) {
  const address = conn.deployments.contracts.TrustAndTeach;
  let inputIndex = request.inputIndex;
  let done: TeachInputState | undefined;
  // Every version completed on the way (a job queued before ours finishes first): its voucher must run before ours,
  // since the contract registers a version only after its parent.
  const completed: { inputIndex: number; state: TeachInputState }[] = [];
  for (;;) {
    const state = await poll(
      `the node to process input ${inputIndex}`,
      async () => {
        const s = await readTeachInput(conn.graphql, inputIndex, address);
        return s && s.status !== 'UNPROCESSED' ? s : undefined;
      },
      { timeoutSeconds, hint: `the machine may still be training: \`pnpm tt teach --continue\` later` },
    );
    if (state.status !== 'ACCEPTED')
      throw new TtError(
        'input-rejected',
        `the backend ${state.status.toLowerCase()} input ${inputIndex}: ${state.reports.join('; ') || 'no report'}`,
        'check the conversation ids with `pnpm tt status`',
      );
    for (const r of state.reports) out.info(`backend: ${r}`);
    if (state.progress) {
      const p = state.progress;
      const last = p.metrics[p.metrics.length - 1];
      out.info(
        `input ${inputIndex}: trained step ${p.step}/${p.totalSteps} of input ${p.teachInputIndex}'s ${p.pairs} pairs` +
          (last ? `, loss ${last.loss.toFixed(4)}` : ''),
      );
    }
    if (state.model) {
      out.info(
        `input ${inputIndex}: version ${state.model.modelHash} complete (teach input ${state.model.teachInputIndex})`,
      );
      completed.push({ inputIndex, state });
    }
    if (state.model?.teachInputIndex === request.inputIndex) {
      done = state;
      break;
    }
    if (!state.progress && !state.model)
      throw new TtError(
        'input-rejected',
        `input ${inputIndex} trained nothing: ${state.reports.join('; ') || 'no report'}`,
        'see the backend reports with `pnpm tt status`',
      );
    inputIndex = await continueTeaching(contract);
    out.info(`continue input ${inputIndex}`);
  }
  const model = done.model!;
  for (const c of completed) {
    const voucher = await poll(
      `the proof of input ${c.inputIndex}'s registerModel voucher`,
      async () => {
        const s = await readTeachInput(conn.graphql, c.inputIndex, address);
        return s?.voucher?.proof ? s.voucher : undefined;
      },
      { timeoutSeconds, hint: 'the epoch is not closed yet; run the command again later' },
    );
    const outcome = await executeVoucher({
      dapp: conn.deployments.contracts.CartesiDApp!,
      signer,
      inputIndex: c.inputIndex,
      voucher,
      onSent: (tx) => out.info(`registerModel ${c.state.model!.modelHash.slice(0, 10)}…: sent ${tx}`),
    });
    if (outcome.status === 'refused') throw new TtError('voucher-failed', outcome.reason);
  }
  const versions = await readModelVersions(contract, conn.deployments.trustAndTeachDeploymentBlock);
  const registered = versions.find((v) => v.modelHash.toLowerCase() === model.modelHash.toLowerCase());
  if (!registered)
    throw new TtError(
      'voucher-failed',
      `the registerModel voucher ran but ${model.modelHash} is not registered`,
    );
  return {
    version: registered.version,
    modelHash: model.modelHash as Hex,
    parentHash: model.parentHash as Hex,
    datasetCommitment: model.datasetCommitment as Hex,
    pairs: model.pairs,
    steps: model.steps,
    loss: model.loss,
    registerInputIndex: completed[completed.length - 1]!.inputIndex,
  };
}

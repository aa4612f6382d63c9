// Which of an input's outputs belong to the conversation, decided by what each one says, never by where it sits. The
// rollup node lists whatever outputs it holds for an input; the backend emits notice 0, voucher 0, notice 1,
// voucher 1, but anything that could write to the rollup API (or a dishonest node) could add more, and a client
// that executes "the first two vouchers" would then post text the model never wrote, and the genuine response could
// never be posted after it. So a voucher posts response i only when it goes to TrustAndTeach and its call is
// postResponse(this conversation, i, …, the contract's model hash, seedFor(conversation, i), the conversation's
// parameters); a notice is response i only when it says the same. Everything else is reported, never executed; two
// outputs claiming one response are both refused (nothing says which is genuine).
import { TrustAndTeach__factory } from '@tt/contracts';
import { deriveSeed, type Hex, type ResponseNotice } from '@tt/protocol';
import type { GenerationParams } from './model.ts';
import type { NodeView, NodeVoucher } from './rollup.ts';

const trustAndTeachInterface = TrustAndTeach__factory.createInterface();

/** What the outputs of a conversation's input must say: all of it from the chain, none of it from the node. */
export interface ExpectedOutputs {
  /** TrustAndTeach's address: the only destination a voucher may have. */
  trustAndTeach: string;
  conversationId: bigint;
  /** The contract's model hash. */
  modelHash: Hex;
  /** The conversation's sampling parameters, as the contract recorded them. */
  params: GenerationParams;
}

/** An output that is not the conversation's: reported, never executed. */
export interface RefusedOutput {
  kind: 'voucher' | 'notice';
  /** Its index among the input's vouchers (or notices). */
  index: number;
  reason: string;
}

/** A voucher that posts response `responseIndex`, or records the rejection (`rejectionReason`). */
export type MatchedVoucher = NodeVoucher & { responseIndex?: 0 | 1; rejectionReason?: number };

interface Claim<T> {
  item: T;
  index: number;
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Why a voucher is not one of this conversation's, or what it is. */
function classifyVoucher(
  v: NodeVoucher,
  e: ExpectedOutputs,
): { responseIndex: 0 | 1 } | { rejectionReason: number } | { reason: string } {
  if (!sameAddress(v.destination, e.trustAndTeach))
    return { reason: `goes to ${v.destination}, not TrustAndTeach (${e.trustAndTeach})` };
  let call;
  try {
    call = trustAndTeachInterface.parseTransaction({ data: v.payload });
  } catch {
    call = null;
  }
  if (!call) return { reason: 'is not a TrustAndTeach call' };
  if (call.name === 'rejectPrompt') {
    const [id, reason] = call.args as unknown as [bigint, bigint];
    if (id !== e.conversationId) return { reason: `rejects conversation ${id}, not ${e.conversationId}` };
    if (reason === 0n) return { reason: 'rejects with reason 0' };
    return { rejectionReason: Number(reason) };
  }
  if (call.name !== 'postResponse') return { reason: `calls ${call.name}, not postResponse or rejectPrompt` };
  const [id, index, , modelHash, seed, steps, temperatureMilli, topPMilli] = call.args as unknown as [
    bigint,
    bigint,
    string,
    string,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  if (id !== e.conversationId) return { reason: `posts to conversation ${id}, not ${e.conversationId}` };
  if (index !== 0n && index !== 1n) return { reason: `posts response ${index}, which does not exist` };
  const i = Number(index) as 0 | 1;
  if (modelHash.toLowerCase() !== e.modelHash.toLowerCase())
    return { reason: `names model ${modelHash}, not the contract's ${e.modelHash}` };
  if (seed !== deriveSeed(e.conversationId, i))
    return { reason: `has seed ${seed}, not the one the contract expects for response ${i}` };
  if (
    Number(steps) !== e.params.steps ||
    Number(temperatureMilli) !== e.params.temperatureMilli ||
    Number(topPMilli) !== e.params.topPMilli
  )
    return { reason: `has other sampling parameters than the conversation (steps ${steps})` };
  return { responseIndex: i };
}

function noticeProblem(n: ResponseNotice, e: ExpectedOutputs, inputIndex: number): string | null {
  if (n.conversationId !== e.conversationId)
    return `is for conversation ${n.conversationId}, not ${e.conversationId}`;
  if (n.inputIndex !== inputIndex) return `names input ${n.inputIndex}, not ${inputIndex}`;
  if (n.modelHash.toLowerCase() !== e.modelHash.toLowerCase())
    return `names model ${n.modelHash}, not the contract's ${e.modelHash}`;
  if (n.seed !== deriveSeed(e.conversationId, n.responseIndex))
    return `has seed ${n.seed}, not the one of response ${n.responseIndex}`;
  if (
    n.steps !== e.params.steps ||
    n.temperatureMilli !== e.params.temperatureMilli ||
    n.topPMilli !== e.params.topPMilli
  )
    return 'has other sampling parameters than the conversation';
  return null;
}

/** One claimant per slot; two or more for one slot are all refused. */
function settle<T>(
  claims: Map<number, Claim<T>[]>,
  kind: RefusedOutput['kind'],
  what: (slot: number) => string,
  refused: RefusedOutput[],
): Map<number, T> {
  const out = new Map<number, T>();
  for (const [slot, list] of claims) {
    if (list.length === 1) out.set(slot, list[0]!.item);
    else
      for (const c of list)
        refused.push({
          kind,
          index: c.index,
          reason: `is one of ${list.length} ${kind}s (${list.map((x) => x.index).join(', ')}) claiming ${what(slot)}: none is used`,
        });
  }
  return out;
}

/**
 * The node's view of an input reduced to the outputs that are this conversation's: `notices[i]` and the voucher that
 * posts response i (`vouchers`, each with its `responseIndex`) chosen by what they decode to, the voucher recording a
 * rejection (`rejection`), and every other output in `refused` with the reason.
 */
export function checkOutputs(view: NodeView, e: ExpectedOutputs): NodeView {
  const refused: RefusedOutput[] = [];
  const voucherClaims = new Map<number, Claim<MatchedVoucher>[]>();
  for (const v of view.vouchers) {
    const c = classifyVoucher(v, e);
    if ('reason' in c) {
      refused.push({ kind: 'voucher', index: v.index, reason: c.reason });
      continue;
    }
    // slot 0 and 1: the responses; slot 2: the rejection
    const slot = 'responseIndex' in c ? c.responseIndex : 2;
    const item: MatchedVoucher =
      'responseIndex' in c
        ? { ...v, responseIndex: c.responseIndex }
        : { ...v, rejectionReason: c.rejectionReason };
    voucherClaims.set(slot, [...(voucherClaims.get(slot) ?? []), { item, index: v.index }]);
  }
  const vouchers = settle(
    voucherClaims,
    'voucher',
    (s) => (s === 2 ? 'the rejection' : `response ${s}`),
    refused,
  );
  const noticeClaims = new Map<number, Claim<ResponseNotice>[]>();
  for (const { index, notice } of view.allNotices ?? []) {
    if (!notice) {
      refused.push({ kind: 'notice', index, reason: 'is not a response notice' });
      continue;
    }
    const problem = noticeProblem(notice, e, view.inputIndex);
    if (problem) refused.push({ kind: 'notice', index, reason: problem });
    else
      noticeClaims.set(notice.responseIndex, [
        ...(noticeClaims.get(notice.responseIndex) ?? []),
        { item: notice, index },
      ]);
  }
  const notices = settle(noticeClaims, 'notice', (s) => `response ${s}`, refused);
  const rejection = vouchers.get(2);
  // a rejection and a response together contradict each other: use neither
  if (rejection && (vouchers.has(0) || vouchers.has(1))) {
    refused.push({
      kind: 'voucher',
      index: rejection.index,
      reason: 'records a rejection of a prompt that also has responses: it is not used',
    });
  }
  const usable = rejection && !vouchers.has(0) && !vouchers.has(1) ? rejection : undefined;
  refused.sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'voucher' ? -1 : 1));
  return {
    ...view,
    notices: [notices.get(0), notices.get(1)],
    vouchers: [vouchers.get(0), vouchers.get(1)].filter((v): v is MatchedVoucher => v !== undefined),
    rejection: usable ? { voucher: usable, reason: usable.rejectionReason! } : undefined,
    refused,
    checked: true,
  };
}

/** A line per refused output, for a person. */
export function describeRefused(refused: readonly RefusedOutput[], inputIndex: number): string[] {
  return refused.map((r) => `input ${inputIndex}'s ${r.kind} ${r.index} ${r.reason}`);
}

// How conversations look on the terminal and in --json output. JSON keys are camelCase, ids and seeds are decimal
// strings, bytes are 0x-hex next to their readable text.
import { pairAgreement, responseLetter, type ConversationState, type PostedResponse } from '@tt/client';
import { decodeUtf8, toHex, type ResponseNotice } from '@tt/protocol';

export function textJson(bytes: Uint8Array) {
  const { text, utf8Valid } = decodeUtf8(bytes);
  return { text, textHex: toHex(bytes), utf8Valid };
}

export function postedJson(r: PostedResponse) {
  return {
    responseIndex: r.responseIndex,
    response: responseLetter(r.responseIndex),
    ...textJson(r.bytes),
    seed: r.seed.toString(),
    modelHash: r.modelHash,
    textHash: r.textHash ?? null,
    postedAt: r.postedAt ?? null,
    txHash: r.txHash ?? null,
  };
}

export function noticeJson(n: ResponseNotice) {
  return {
    responseIndex: n.responseIndex,
    response: responseLetter(n.responseIndex),
    ...textJson(n.bytes),
    seed: n.seed.toString(),
    modelHash: n.modelHash,
    tokens: n.tokens.length - n.promptTokens,
  };
}

export function stateJson(s: ConversationState) {
  const c = s.conversation;
  const onChain = c.responses.filter((r): r is PostedResponse => r !== undefined);
  return {
    conversationId: c.id.toString(),
    inputIndex: c.inputIndex,
    stage: s.stage.stage,
    label: s.stage.label,
    rejection: s.stage.rejection,
    postedCount: s.stage.postedCount,
    rankingCount: s.stage.rankingCount,
    author: c.author,
    prompt: textJson(c.prompt),
    steps: c.params.steps,
    temperatureMilli: c.params.temperatureMilli,
    topPMilli: c.params.topPMilli,
    modelHash: c.modelHash,
    promptedAt: c.promptedAt,
    responses:
      onChain.length === 2
        ? onChain.map((r) => ({ source: 'chain', ...postedJson(r) }))
        : (s.node?.notices ?? [])
            .filter((n) => n !== undefined)
            .map((n) => ({ source: 'notice', ...noticeJson(n!) })),
    rankings: c.rankings.map((r) => ({
      ranker: r.ranker,
      order: [...r.order],
      prefers: responseLetter(r.order[0]),
      rankedAt: r.rankedAt,
    })),
    agreement: pairAgreement(c.rankings),
  };
}

/** One line of a conversation's text, quoted, with control characters shown and long texts cut. */
export function preview(bytes: Uint8Array, max = 60): string {
  const { text } = decodeUtf8(bytes);
  const flat = JSON.stringify(text).slice(1, -1);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function responseBlock(label: string, bytes: Uint8Array): string[] {
  const { text, utf8Valid } = decodeUtf8(bytes);
  const lines = [`--- ${label}${utf8Valid ? '' : ` (not valid UTF-8; exact bytes ${toHex(bytes)})`}`];
  lines.push(...text.split('\n').map((l) => `  ${l}`));
  return lines;
}

/** A ranking in the words the UI uses: which response is better, and the action that says so. */
export function orderWords(order: readonly number[]): string {
  return order[0] === 0 ? 'Response A is better (confirm)' : 'Response B is better (switch)';
}

/** "1 conversation", "2 conversations". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

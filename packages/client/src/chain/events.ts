// TrustAndTeach's conversation events, decoded by slicing their fixed ABI layout. Reading thousands of conversations means
// tens of thousands of logs, and ethers' general decoder costs about a third of a millisecond each; the layout of these
// events is fixed (docs/interfaces.md), so reading the words directly is exact and far cheaper. A log that does not
// fit the layout is left to ethers' decoder, which names what is wrong. A test checks both agree on real logs.
import { getAddress } from 'ethers';
import type { TrustAndTeach } from '../contract.ts';
import type { Hex, RankingOrder } from '../model.ts';

export interface RawLog {
  blockNumber: number;
  topics: readonly string[];
  data: string;
  transactionHash: string;
}

export type TrustAndTeachEvent =
  | {
      name: 'PromptSubmitted';
      conversationId: bigint;
      author: Hex;
      inputIndex: number;
      prompt: Hex;
      steps: number;
      temperatureMilli: number;
      topPMilli: number;
    }
  | {
      name: 'ResponsePosted';
      conversationId: bigint;
      responseIndex: 0 | 1;
      textHash: Hex;
      text: Hex;
      modelHash: Hex;
      seed: bigint;
    }
  | { name: 'RankingSubmitted'; conversationId: bigint; ranker: Hex; order: RankingOrder }
  | { name: 'PromptRejected'; conversationId: bigint; reason: number }
  | { name: 'PromptModel'; conversationId: bigint; modelVersion: number; modelHash: Hex };

export function eventTopics(contract: TrustAndTeach) {
  const t = (
    name: 'PromptSubmitted' | 'ResponsePosted' | 'RankingSubmitted' | 'PromptRejected' | 'PromptModel',
  ) => contract.interface.getEvent(name)!.topicHash;
  return {
    prompt: t('PromptSubmitted'),
    response: t('ResponsePosted'),
    ranking: t('RankingSubmitted'),
    rejected: t('PromptRejected'),
    model: t('PromptModel'),
  };
}

/** A decoder for this contract's events; null for a log that is none of the four. */
export function eventDecoder(contract: TrustAndTeach): (log: RawLog) => TrustAndTeachEvent | null {
  const topics = eventTopics(contract);
  const slow = (log: RawLog) => decodeWithEthers(contract, log);
  return (log) => {
    const d = log.data.startsWith('0x') ? log.data.slice(2) : log.data;
    const word = (i: number) => d.slice(i * 64, i * 64 + 64);
    const num = (hex: string) => Number.parseInt(hex, 16);
    const bytesAt = (headWord: number): Hex | null => {
      const offset = num(word(headWord)) * 2;
      if (!Number.isSafeInteger(offset) || offset + 64 > d.length) return null;
      const length = num(d.slice(offset, offset + 64)) * 2;
      if (!Number.isSafeInteger(length) || offset + 64 + length > d.length) return null;
      return `0x${d.slice(offset + 64, offset + 64 + length)}` as Hex;
    };
    const [sig, t1, t2, t3] = log.topics;
    if (sig === topics.prompt && log.topics.length === 4 && d.length >= 4 * 64) {
      const prompt = bytesAt(0);
      if (!prompt) return slow(log);
      return {
        name: 'PromptSubmitted',
        conversationId: BigInt(t1!),
        author: getAddress(`0x${t2!.slice(-40)}`) as Hex,
        inputIndex: Number(BigInt(t3!)),
        prompt,
        steps: num(word(1)),
        temperatureMilli: num(word(2)),
        topPMilli: num(word(3)),
      };
    }
    if (sig === topics.response && log.topics.length === 3 && d.length >= 7 * 64) {
      const text = bytesAt(1);
      const index = Number(BigInt(t2!));
      if (!text || (index !== 0 && index !== 1)) return slow(log);
      return {
        name: 'ResponsePosted',
        conversationId: BigInt(t1!),
        responseIndex: index,
        textHash: `0x${word(0)}` as Hex,
        text,
        modelHash: `0x${word(2)}` as Hex,
        seed: BigInt(`0x${word(3)}`),
      };
    }
    if (sig === topics.ranking && log.topics.length === 3 && d.length >= 3 * 64) {
      const offset = num(word(0)) * 2;
      const length = num(d.slice(offset, offset + 64));
      if (!Number.isSafeInteger(offset) || length < 1 || offset + 128 > d.length) return slow(log);
      const first = num(d.slice(offset + 64, offset + 128));
      return {
        name: 'RankingSubmitted',
        conversationId: BigInt(t1!),
        ranker: getAddress(`0x${t2!.slice(-40)}`) as Hex,
        order: first === 0 ? [0, 1] : [1, 0],
      };
    }
    if (sig === topics.rejected && log.topics.length === 2 && d.length >= 64) {
      const reason = num(word(0));
      if (reason > 255) return slow(log);
      return { name: 'PromptRejected', conversationId: BigInt(t1!), reason };
    }
    if (sig === topics.model && log.topics.length === 3 && d.length === 64) {
      const version = BigInt(t2!);
      if (version > 0xffffn) return slow(log);
      return {
        name: 'PromptModel',
        conversationId: BigInt(t1!),
        modelVersion: Number(version),
        modelHash: `0x${word(0)}` as Hex,
      };
    }
    return sig === topics.prompt ||
      sig === topics.response ||
      sig === topics.ranking ||
      sig === topics.rejected ||
      sig === topics.model
      ? slow(log)
      : null;
  };
}

/** ethers' decoder: the reference, and the fallback for a log that does not fit the fixed layout. */
export function decodeWithEthers(contract: TrustAndTeach, log: RawLog): TrustAndTeachEvent | null {
  const parsed = contract.interface.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return null;
  const a = parsed.args;
  switch (parsed.name) {
    case 'PromptSubmitted':
      return {
        name: 'PromptSubmitted',
        conversationId: a.conversationId as bigint,
        author: a.author as Hex,
        inputIndex: Number(a.inputIndex),
        prompt: a.prompt as Hex,
        steps: Number(a.steps),
        temperatureMilli: Number(a.temperatureMilli),
        topPMilli: Number(a.topPMilli),
      };
    case 'ResponsePosted':
      return {
        name: 'ResponsePosted',
        conversationId: a.conversationId as bigint,
        responseIndex: Number(a.responseIndex) as 0 | 1,
        textHash: a.textHash as Hex,
        text: a.text as Hex,
        modelHash: a.modelHash as Hex,
        seed: a.seed as bigint,
      };
    case 'RankingSubmitted':
      return {
        name: 'RankingSubmitted',
        conversationId: a.conversationId as bigint,
        ranker: a.ranker as Hex,
        order: Number((a.order as bigint[])[0]) === 0 ? [0, 1] : [1, 0],
      };
    case 'PromptRejected':
      return { name: 'PromptRejected', conversationId: a.conversationId as bigint, reason: Number(a.reason) };
    case 'PromptModel':
      return {
        name: 'PromptModel',
        conversationId: a.conversationId as bigint,
        modelVersion: Number(a.modelVersion),
        modelHash: a.modelHash as Hex,
      };
    default:
      return null;
  }
}

import { describe, expect, it } from 'vitest';
import { parseTsv, type Conversation } from '@tt/client';
import { datasetFile } from './download.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const hash = `0x${'ab'.repeat(32)}` as const;

function conversation(id: bigint, ranked: boolean): Conversation {
  return {
    id,
    inputIndex: Number(id),
    author: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
    prompt: enc('Once upon a time'),
    params: { steps: 64, temperatureMilli: 800, topPMilli: 900 },
    modelHash: hash,
    promptedAt: 1_700_000_000,
    responses: [
      {
        responseIndex: 0,
        bytes: enc(' there was a cat.'),
        seed: 1n,
        modelHash: hash,
        postedAt: 1_700_000_010,
      },
      {
        responseIndex: 1,
        bytes: enc(' a dog\tbarked.\n'),
        seed: 2n,
        modelHash: hash,
        postedAt: 1_700_000_011,
      },
    ],
    rankings: ranked
      ? [{ ranker: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', order: [1, 0], rankedAt: 1_700_000_020 }]
      : [],
  };
}

describe('dataset file', () => {
  it('names the file by network, time and format', () => {
    const f = datasetFile([conversation(0n, true)], 'dpo-jsonl', 'devnet', new Date('2026-01-02T03:04:05Z'));
    expect(f.name).toBe('trust-and-teach-devnet-2026-01-02-03-04-05.jsonl');
  });
  it('writes the shared exporter output: DPO follows the ranker, TSV round-trips', () => {
    const dpo = datasetFile([conversation(0n, true), conversation(1n, false)], 'dpo-jsonl', 'devnet');
    const lines = dpo.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { prompt: string; chosen: string; rejected: string });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      prompt: 'Once upon a time',
      chosen: ' a dog\tbarked.\n',
      rejected: ' there was a cat.',
    });
    const tsv = datasetFile([conversation(0n, true)], 'tsv', 'devnet');
    expect(parseTsv(tsv.text)[0]).toMatchObject({ chosen: ' a dog\tbarked.\n' });
  });
});

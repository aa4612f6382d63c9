// The chain journal must rebuild the very same chain (same block hashes) from its record, whatever
// mix of transactions and dev-chain methods built it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createHardhatProvider } from './hardhat.js';
import { JournaledProvider, readJournal, RpcError } from './journal.js';

const hashes = async (p: JournaledProvider) => {
  const n = Number(await p.request({ method: 'eth_blockNumber' }));
  const out: string[] = [];
  for (let i = 0; i <= n; i++) {
    const b = (await p.request({
      method: 'eth_getBlockByNumber',
      params: [`0x${i.toString(16)}`, false],
    })) as { hash: string };
    out.push(b.hash);
  }
  return out;
};

it('replays transactions, mined blocks, time jumps and setCode into identical blocks', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tt-journal-')), 'journal.jsonl');
  const initialDate = new Date('2026-01-01T00:00:00Z');
  const a = new JournaledProvider(await createHardhatProvider({ initialDate }), path);
  await a.open(initialDate, null);
  const [from, to] = (await a.request({ method: 'eth_accounts' })) as string[];
  await a.request({ method: 'eth_sendTransaction', params: [{ from, to, value: '0x1000' }] });
  await a.request({ method: 'evm_increaseTime', params: [3600] });
  await a.request({ method: 'evm_mine' });
  await a.request({ method: 'hardhat_mine', params: ['0x3', '0x10'] });
  await a.request({ method: 'hardhat_setCode', params: [to, '0x6001600055'] });
  // a reverting call still mines a block under automine, so it must be replayed too
  const reverter = '0x00000000000000000000000000000000000000fe';
  await a.request({ method: 'hardhat_setCode', params: [reverter, '0xfe'] });
  await expect(
    a.request({ method: 'eth_sendTransaction', params: [{ from, to: reverter, gas: '0x10000' }] }),
  ).rejects.toThrow();
  await a.request({ method: 'eth_sendTransaction', params: [{ from: to, to: from, value: '0x1' }] });
  await expect(a.request({ method: 'hardhat_reset' })).rejects.toBeInstanceOf(RpcError);
  const original = await hashes(a);
  a.close();

  const journal = readJournal(path)!;
  expect(journal.initialDate.toISOString()).toBe(initialDate.toISOString());
  const b = new JournaledProvider(await createHardhatProvider({ initialDate: journal.initialDate }), path);
  const { replayed } = await b.open(journal.initialDate, journal);
  expect(replayed).toBe(journal.entries.length);
  expect(await hashes(b)).toEqual(original);
  expect(original.length).toBe(8);
  b.close();
}, 60_000);

it('gives two chains created in the same second different instances, and keeps an instance across replays', async () => {
  // both chains have the same genesis hash (the genesis date has whole seconds): only the instance tells them apart
  const initialDate = new Date('2026-01-01T00:00:00Z');
  const dir = mkdtempSync(join(tmpdir(), 'tt-journal-'));
  const opened = [];
  for (const name of ['a.jsonl', 'b.jsonl']) {
    const p = new JournaledProvider(await createHardhatProvider({ initialDate }), join(dir, name));
    opened.push((await p.open(initialDate, null)).instance);
    p.close();
  }
  expect(opened[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(opened[1]).not.toBe(opened[0]);

  const journal = readJournal(join(dir, 'a.jsonl'))!;
  expect(journal.instance).toBe(opened[0]);
  const again = new JournaledProvider(await createHardhatProvider({ initialDate }), join(dir, 'a.jsonl'));
  expect((await again.open(initialDate, journal)).instance).toBe(opened[0]);
  again.close();
});

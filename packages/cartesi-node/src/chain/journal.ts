// Hardhat's chain lives in memory. To survive a restart, every state-changing request is appended
// to a journal together with the timestamps of the blocks it mined; on start the journal is
// replayed into a fresh chain with the same genesis date, which rebuilds the same blocks (same
// hashes), so the node's store and the chain agree again.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Eip1193Provider } from './hardhat.js';

const STATE_CHANGING = new Set([
  'eth_sendTransaction',
  'eth_sendRawTransaction',
  'evm_mine',
  'hardhat_mine',
  'evm_increaseTime',
  'evm_setNextBlockTimestamp',
  'evm_setAutomine',
  'evm_setBlockGasLimit',
  'hardhat_setCode',
  'hardhat_setBalance',
  'hardhat_setNonce',
  'hardhat_setStorageAt',
  'hardhat_impersonateAccount',
  'hardhat_stopImpersonatingAccount',
  'hardhat_setNextBlockBaseFeePerGas',
  'hardhat_setCoinbase',
  'hardhat_setPrevRandao',
  'hardhat_dropTransaction',
  'hardhat_setMinGasPrice',
]);

/**
 * Requests the devnet refuses from everyone. A reset drops history and interval mining mines unrecorded blocks, either
 * of which makes the journal unreplayable. A snapshot's revert rewrites history under the node: the real Cartesi v1
 * node reads only blocks that cannot be reverted, and its claims, the vouchers executed and every prompt and ranking
 * since the snapshot would silently vanish with the reverted blocks. One history, appended to, is what the node, the
 * journal and the people using the devnet can rely on.
 */
const REVERT_REFUSAL =
  'is not supported by the devnet: its node, its claims and the dataset follow one chain history that is only ' +
  'appended to. For tests that roll back, start a throwaway devnet (@tt/devnet/testing startTestDevnet, or ' +
  '--state-dir <tmp> --fresh) or use an in-process Hardhat network';
const REFUSED = new Map([
  ['hardhat_reset', 'hardhat_reset is not supported by the devnet: restart it with --fresh instead'],
  ['evm_snapshot', `evm_snapshot ${REVERT_REFUSAL}`],
  ['evm_revert', `evm_revert ${REVERT_REFUSAL}`],
  [
    'evm_setIntervalMining',
    'evm_setIntervalMining is not supported by the devnet: blocks are mined per transaction (use --block-time)',
  ],
]);

interface JournalHeader {
  kind: 'tt-devnet-chain-journal';
  version: 1;
  chainId: number;
  initialDate: string;
  /**
   * Random, written once when the chain is created. Two chains started in the same second have the same genesis
   * hash (the genesis date has whole seconds), so the genesis hash alone cannot tell a recreated chain from the old one.
   */
  instance?: string;
}

interface JournalEntry {
  method: string;
  params?: unknown;
  /** Timestamps of the blocks this request mined, in order, so the replay mines them identically. */
  blocks?: { number: number; timestamp: number; hash: string }[];
}

export class RpcError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export interface JournalInfo {
  initialDate: Date;
  /** null for journals written before the instance id existed */
  instance: string | null;
  entries: JournalEntry[];
}

export function readJournal(path: string): JournalInfo | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = JSON.parse(lines[0] ?? '{}') as JournalHeader;
  if (header.kind !== 'tt-devnet-chain-journal')
    throw new Error(`${path} is not a devnet chain journal: delete it or start with --fresh`);
  const entries: JournalEntry[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      // a torn last line from a crash mid-write: that request never returned to its caller
      break;
    }
  }
  return { initialDate: new Date(header.initialDate), instance: header.instance ?? null, entries };
}

const hexNum = (v: unknown) => Number(BigInt(v as string));

/**
 * An EIP-1193 provider in front of Hardhat that runs requests one at a time (so the journal order
 * is the execution order and nobody reads a block the journal does not have yet) and records the
 * state-changing ones.
 */
export class JournaledProvider implements Eip1193Provider {
  private queue: Promise<unknown> = Promise.resolve();
  private fd: number | null = null;
  /** Listeners told after each new block, so the node can react without polling the chain hard. */
  private blockListeners = new Set<(blockNumber: number) => void>();

  constructor(
    private readonly inner: Eip1193Provider,
    private readonly path: string,
  ) {}

  /** Replays an existing journal (if any) into the fresh inner chain, then opens it for appending. */
  async open(
    initialDate: Date,
    existing: JournalInfo | null,
  ): Promise<{ replayed: number; instance: string | null }> {
    let replayed = 0;
    let instance = existing?.instance ?? null;
    if (existing) {
      for (const entry of existing.entries) {
        await this.replayEntry(entry);
        replayed++;
      }
      this.fd = openSync(this.path, 'a');
    } else {
      this.fd = openSync(this.path, 'w');
      const header: JournalHeader = {
        kind: 'tt-devnet-chain-journal',
        version: 1,
        chainId: 31337,
        initialDate: initialDate.toISOString(),
        instance: randomBytes(16).toString('hex'),
      };
      instance = header.instance!;
      writeSync(this.fd, JSON.stringify(header) + '\n');
    }
    return { replayed, instance };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  onBlock(listener: (blockNumber: number) => void): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }

  request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const run = () => this.execute(args);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async execute({
    method,
    params,
  }: {
    method: string;
    params?: unknown[] | object;
  }): Promise<unknown> {
    const refusal = REFUSED.get(method);
    if (refusal) throw new RpcError(refusal, -32601);
    if (!STATE_CHANGING.has(method)) return this.inner.request({ method, params });
    if (this.fd === null) throw new RpcError('the devnet chain is stopped', -32000);
    const before = hexNum(await this.inner.request({ method: 'eth_blockNumber' }));
    let result: unknown;
    let error: unknown;
    try {
      result = await this.inner.request({ method, params });
    } catch (e) {
      error = e;
    }
    const after = hexNum(await this.inner.request({ method: 'eth_blockNumber' }));
    // A request that failed without mining (bad nonce, bad params) changed nothing: no need to keep it.
    if (!error || after !== before) {
      const blocks: NonNullable<JournalEntry['blocks']> = [];
      for (let n = before + 1; n <= after; n++) {
        const b = (await this.inner.request({
          method: 'eth_getBlockByNumber',
          params: [`0x${n.toString(16)}`, false],
        })) as {
          timestamp: string;
          hash: string;
        };
        blocks.push({ number: n, timestamp: hexNum(b.timestamp), hash: b.hash });
      }
      const entry: JournalEntry = { method, params, ...(blocks.length ? { blocks } : {}) };
      writeSync(this.fd, JSON.stringify(entry) + '\n');
      if (after !== before) for (const l of this.blockListeners) l(after);
    }
    if (error) throw error;
    return result;
  }

  private async replayEntry(entry: JournalEntry): Promise<void> {
    const first = entry.blocks?.[0];
    // the first block's time comes from the wall clock, so pin it; later blocks of a hardhat_mine follow its interval
    if (first) {
      await this.inner.request({
        method: 'evm_setNextBlockTimestamp',
        params: [`0x${first.timestamp.toString(16)}`],
      });
    }
    try {
      await this.inner.request({ method: entry.method, params: entry.params as unknown[] });
    } catch {
      // it failed the first time too (a reverted transaction is still mined); the block check below decides
    }
    const last = entry.blocks?.at(-1);
    if (last) {
      const b = (await this.inner.request({
        method: 'eth_getBlockByNumber',
        params: [`0x${last.number.toString(16)}`, false],
      })) as {
        hash: string;
      } | null;
      if (!b || b.hash !== last.hash) {
        throw new Error(
          `replaying the chain journal diverged at block ${last.number} (${entry.method}). ` +
            'The saved chain cannot be rebuilt with this Hardhat version: start again with --fresh.',
        );
      }
    }
  }
}

// The node's main loop: read InputAdded events in order, feed each input to the backend through the
// rollup API, record the result, close epochs (with every proof) and claim them. One step at a
// time, each durable before the next, so a restart resumes exactly where the store says.
import { InputBox__factory } from '@tt/cartesi-v1';
import { hexlify, toUtf8Bytes, type Provider } from 'ethers';
import { buildEpochProofs, encodeContext, HOST_MODE_MACHINE_STATE_HASH } from './proofs/index.js';
import type { Store } from './store/store.js';
import type { AdvanceMetadata } from '@tt/cartesi-v1';
import type { AdvanceResult, InputRow, NewInputRow } from './store/rows.js';
import { BackendGoneError } from './rollup-api/host-runner.js';
import type { InputRunner } from './input-runner.js';
import { ClaimMismatchError, type Claimer } from './claimer/claimer.js';

export interface PipelineOptions {
  provider: Provider;
  store: Store;
  /** The backend: on the host over the rollup HTTP API, or inside the Cartesi machine. */
  runner: InputRunner;
  claimer: Claimer;
  application: string;
  inputBox: string;
  inputBoxDeploymentBlock: number;
  /**
   * undefined: every block with inputs is an epoch, closed as soon as its inputs are processed. A number: the real
   * node's block-based epochs, closed when the chain moves past them.
   */
  epochLength?: number;
  /** How often a crashed backend is given the same input again before it is recorded as EXCEPTION. */
  maxAttempts?: number;
  /** true when the node supervises the backend (it will come back after a crash). */
  supervised: boolean;
  /**
   * Give a new backend process every input it finished before (outputs checked against the store, then dropped)
   * before new ones, so its in-memory state is what it was before it stopped: what a machine snapshot gives the real
   * node. A host-mode backend never rolled a rejected input back, so rejected inputs are replayed too (their counters
   * come back the same); inputs that ended in an exception are not (the process died or gave up on them).
   */
  restoreBackendState?: boolean;
  log: (line: string) => void;
}

const INPUT_ADDED = InputBox__factory.createInterface().getEvent('InputAdded');
const LOG_CHUNK = 10_000;

/**
 * InputAdded(address indexed dapp, uint256 indexed inputIndex, address sender, bytes input), decoded by hand: the
 * layout is fixed, and ethers' ABI decoder takes seconds on a 2 MiB input.
 */
export function decodeInputAdded(
  topics: readonly string[],
  data: string,
): { inputIndex: number; sender: string; input: string } {
  const d = data.slice(2).toLowerCase();
  const offset = Number.parseInt(d.slice(64, 128), 16) * 2;
  const length = Number.parseInt(d.slice(offset, offset + 64), 16) * 2;
  if (topics.length !== 3 || !Number.isSafeInteger(offset) || d.length < offset + 64 + length) {
    throw new Error('malformed InputAdded log from the InputBox');
  }
  return {
    inputIndex: Number(BigInt(topics[2]!)),
    sender: `0x${d.slice(24, 64)}`,
    input: `0x${d.slice(offset + 64, offset + 64 + length)}`,
  };
}

/** The metadata an input is handed over with (epoch_index is always 0, as the v1 node sends it). */
export function advanceMetadata(input: InputRow): AdvanceMetadata {
  return {
    msg_sender: input.msgSender,
    epoch_index: 0,
    input_index: input.index,
    block_number: input.blockNumber,
    timestamp: input.timestamp,
  };
}

export class Pipeline {
  private stopped = false;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  private failure: Error | null = null;
  /** Index of the last input the current backend process has seen (-1: a fresh process). */
  private fed = -1;
  /** Backend deaths per input, across steps. */
  private deaths = new Map<number, number>();
  /** The replay into a new backend process, while it runs: for its progress lines. */
  private replay: { total: number; done: number; started: number; told: number } | null = null;
  lastError: Error | null = null;

  constructor(private readonly o: PipelineOptions) {}

  start() {
    this.loopDone = this.loop();
  }

  /** The backend process was replaced: it has seen no input yet. */
  backendRestarted() {
    this.fed = -1;
    this.replay = null;
    this.poke();
  }

  /** How far the replay into a new backend is, or null when none is running (for a status line or a test). */
  replayProgress(): { done: number; total: number } | null {
    return this.replay ? { done: this.replay.done, total: this.replay.total } : null;
  }

  /** Something happened (a new block): look again now instead of at the next poll. */
  poke() {
    this.wake?.();
  }

  async stop() {
    this.stopped = true;
    this.poke();
    await this.loopDone;
  }

  /** Resolves when every input on the chain so far is processed, its epoch closed and claimed. */
  async settled(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const latest = await this.o.provider.getBlockNumber();
      const s = this.o.store;
      const scanned = s.scannedBlock() ?? -1;
      const open = s.unepochedProcessed();
      // block-based epochs: only the epoch the chain is still in may stay open
      const epochsDone =
        this.o.epochLength === undefined
          ? open.length === 0
          : open.every((i) => this.epochOf(i.blockNumber) === this.epochOf(latest));
      if (scanned >= latest && !s.hasUnprocessed() && epochsDone && s.unclaimedEpochs().length === 0) return;
      if (Date.now() > deadline)
        throw new Error(
          `the devnet node did not settle within ${timeoutMs} ms (scanned block ${scanned} of ${latest})`,
        );
      await new Promise<void>((r) => {
        this.idleWaiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  private async loop() {
    while (!this.stopped) {
      let worked = false;
      try {
        worked = await this.step();
        this.lastError = null;
      } catch (e) {
        if (this.stopped) break;
        const err = e as Error;
        if (err instanceof ClaimMismatchError) {
          this.failure = err;
          this.o.log(`node: ${err.message}`);
          return;
        }
        if (this.lastError?.message !== err.message) this.o.log(`node: ${err.message} (retrying)`);
        this.lastError = err;
        await this.sleep(1_000);
        continue;
      }
      if (!worked) {
        for (const w of this.idleWaiters.splice(0)) w();
        await this.sleep(250);
      }
    }
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private async step(): Promise<boolean> {
    const latest = await this.scan();
    let worked = false;
    // epochs close and are claimed between inputs, so a backlog does not hold back proofs of finished inputs
    while (await this.maybeCloseEpoch(latest)) worked = true;
    if ((await this.o.claimer.run()) > 0) worked = true;
    if (this.o.restoreBackendState && (await this.restoreOne())) return true;
    const next = this.o.store.nextUnprocessed();
    if (next) {
      await this.process(next);
      return true;
    }
    return worked;
  }

  /**
   * The block the node read last must still be on the chain. The devnet refuses evm_revert, but a chain can still
   * lose blocks under a running node (another tool on the same chain, a chain not ours); then what the node holds
   * from the lost blocks (inputs, outputs, epochs, proofs) belongs to no chain any more, and serving it would hand out
   * outputs of inputs that never happened. So the node starts its state afresh and rebuilds it from the chain, as it
   * does after losing its store: the backend is deterministic and existing claims fix the epochs.
   */
  private async checkHistory(latest: number): Promise<void> {
    const { provider, store, log } = this.o;
    const scanned = store.scannedBlock();
    if (scanned === null) return;
    const recorded = store.getMeta('scannedBlockHash');
    const block = scanned <= latest ? await provider.getBlock(scanned) : null;
    if (block && (recorded === null || block.hash === recorded)) {
      if (recorded === null) store.setMeta('scannedBlockHash', block.hash!);
      return;
    }
    log(
      `node: block ${scanned}, the last one the node read, is no longer on the chain (its history was rewritten); ` +
        'rebuilding the node state from the chain',
    );
    const identity = store.getMeta('chainIdentity');
    store.reset();
    if (identity !== null) store.setMeta('chainIdentity', identity);
    this.fed = -1;
    this.deaths.clear();
  }

  /** Reads new InputAdded events for the application and records them as UNPROCESSED. */
  private async scan(): Promise<number> {
    const { provider, store } = this.o;
    const latest = await provider.getBlockNumber();
    await this.checkHistory(latest);
    let from = (store.scannedBlock() ?? this.o.inputBoxDeploymentBlock - 1) + 1;
    while (from <= latest) {
      const to = Math.min(latest, from + LOG_CHUNK - 1);
      const logs = await provider.getLogs({
        address: this.o.inputBox,
        topics: [INPUT_ADDED.topicHash, '0x' + this.o.application.slice(2).toLowerCase().padStart(64, '0')],
        fromBlock: from,
        toBlock: to,
      });
      const rows: NewInputRow[] = [];
      let expected = (store.lastInput()?.index ?? -1) + 1;
      const blocks = new Map<number, { timestamp: number; hash: string }>();
      for (const log of logs) {
        const ev = decodeInputAdded(log.topics, log.data);
        const index = ev.inputIndex;
        if (index < expected) continue;
        if (index > expected)
          throw new Error(`input ${expected} is missing from the InputBox logs (saw ${index})`);
        let block = blocks.get(log.blockNumber);
        if (!block) {
          const b = await provider.getBlock(log.blockNumber);
          if (!b) throw new Error(`block ${log.blockNumber} disappeared while reading inputs`);
          block = { timestamp: b.timestamp, hash: b.hash! };
          blocks.set(log.blockNumber, block);
        }
        rows.push({
          index,
          msgSender: ev.sender,
          timestamp: block.timestamp,
          blockNumber: log.blockNumber,
          blockHash: block.hash,
          payload: ev.input,
        });
        expected++;
      }
      const last = await provider.getBlock(to);
      if (!last) throw new Error(`block ${to} disappeared while reading inputs`);
      store.addInputs(rows, to, last.hash!);
      from = to + 1;
    }
    return latest;
  }

  /** Replays the next finished input a fresh backend has not seen. Returns false when it is up to date. */
  private async restoreOne(): Promise<boolean> {
    const { store, log } = this.o;
    const input = store.nextFinishedAfter(this.fed);
    if (!input) {
      if (this.replay) {
        const { total, started } = this.replay;
        log(
          `backend: state restored: ${total} input(s) replayed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        this.replay = null;
      }
      return false;
    }
    if (!this.replay) {
      const total = store.finishedCountAfter(this.fed);
      this.replay = { total, done: 0, started: Date.now(), told: Date.now() };
      log(
        `backend: restoring its state: replaying ${total} input(s) it had processed (from input ${input.index} on; new inputs wait)…`,
      );
    }
    let result: AdvanceResult;
    try {
      result = await this.o.runner.advance(advanceMetadata(input), input.payload);
    } catch (e) {
      if (this.stopped || !(e instanceof BackendGoneError)) throw e;
      return true; // it died during the replay: the restarted one starts over
    }
    const stored = {
      vouchers: store
        .outputs('vouchers', input.index, 0, 1 << 16)
        .map((v) => ({ destination: v.destination, payload: v.payload })),
      notices: store.outputs('notices', input.index, 0, 1 << 16).map((n) => ({ payload: n.payload })),
    };
    const same =
      result.status === input.status &&
      JSON.stringify({ vouchers: result.vouchers, notices: result.notices }) === JSON.stringify(stored);
    if (!same) {
      log(
        `backend: replaying input ${input.index} gave ${result.status} with different outputs than the first time: the backend is not deterministic`,
      );
    }
    this.fed = input.index;
    const r = this.replay;
    r.done++;
    // a line every few seconds, so a long replay (two inferences per input) visibly moves
    if (Date.now() - r.told >= 3_000 && r.done < r.total) {
      r.told = Date.now();
      log(`backend: replayed ${r.done}/${r.total} inputs…`);
    }
    return true;
  }

  private async process(input: InputRow) {
    const { runner, store, log } = this.o;
    const started = Date.now();
    const maxAttempts = this.o.maxAttempts ?? 3;
    let result: AdvanceResult | null = null;
    while (!result) {
      try {
        result = await runner.advance(advanceMetadata(input), input.payload);
      } catch (e) {
        if (this.stopped) throw e;
        if (!(e instanceof BackendGoneError)) throw e;
        const attempt = (this.deaths.get(input.index) ?? 0) + 1;
        this.deaths.set(input.index, attempt);
        if (!this.o.supervised || attempt >= maxAttempts) {
          log(
            `input ${input.index}: the backend died ${attempt} time(s) while processing it (${e.message}); recording EXCEPTION`,
          );
          result = {
            status: 'EXCEPTION',
            vouchers: [],
            notices: [],
            reports: [],
            exceptionPayload: hexlify(toUtf8Bytes(e.message)),
            machineHash: runner.stateHash(),
          };
        } else {
          log(
            `input ${input.index}: the backend died while processing it (${e.message}); feeding it again to the restarted backend`,
          );
          // with state restore, the new process first catches up (next step), then gets this input again
          if (this.o.restoreBackendState) return;
        }
      }
    }
    if (this.stopped) return;
    this.deaths.delete(input.index);
    this.fed = input.index;
    if (store.recordResult(input.index, result)) {
      const outputs =
        result.status === 'ACCEPTED'
          ? `${result.vouchers.length} voucher(s), ${result.notices.length} notice(s), `
          : '';
      const cycles = result.cycles ? `, ${(result.cycles / 1e9).toFixed(2)} G machine cycles` : '';
      log(
        `input ${input.index} from ${input.msgSender}: ${result.status}, ${outputs}${result.reports.length} report(s), ${Date.now() - started} ms${cycles}`,
      );
    }
  }

  /**
   * The real node's epoch number: (block − InputBox deployment block) / epoch length. Without an epoch length every
   * block with inputs is its own epoch: the epochs (and so every proof) then depend only on the chain, not on how fast
   * the backend was or when the node was restarted.
   */
  private epochOf(block: number): number {
    return Math.floor((block - this.o.inputBoxDeploymentBlock) / (this.o.epochLength ?? 1));
  }

  private async maybeCloseEpoch(latest: number): Promise<boolean> {
    const { store } = this.o;
    const pending = store.unepochedProcessed();
    if (pending.length === 0) return false;
    let members = pending;
    // When the node state was rebuilt from the chain, claims already on-chain fix where the epochs end
    const claimIndex = store.epochCount();
    const existing = await this.o.claimer.onChainClaim(claimIndex);
    if (existing) {
      const [first, last] = [Number(existing.first), Number(existing.last)];
      if (pending[0]!.index !== first) return false; // the claimer will report the mismatch
      if (pending.at(-1)!.index < last) return false; // not all of that epoch's inputs are processed yet
      members = pending.filter((i) => i.index <= last);
    } else {
      const epochOf = (block: number) => this.epochOf(block);
      const e = epochOf(pending[0]!.blockNumber);
      // block-based epochs close once the chain has moved past them (the real node closes one on the first later
      // block); the default per-block epochs close as soon as their inputs are processed
      if (this.o.epochLength !== undefined && epochOf(latest) <= e) return false;
      members = pending.filter((i) => epochOf(i.blockNumber) === e);
      const unprocessed = store.nextUnprocessed();
      if (unprocessed && epochOf(unprocessed.blockNumber) <= e) return false;
    }
    const proofs = buildEpochProofs(
      members.map((i) => ({
        accepted: i.status === 'ACCEPTED',
        vouchers: i.status === 'ACCEPTED' ? store.outputs('vouchers', i.index, 0, 1 << 16) : [],
        notices: i.status === 'ACCEPTED' ? store.outputs('notices', i.index, 0, 1 << 16) : [],
      })),
      // machine mode: the machine's root hash after the epoch's last input; host mode has no machine
      (members.at(-1)!.machineHash as `0x${string}` | null) ?? HOST_MODE_MACHINE_STATE_HASH,
    );
    const epoch = store.closeEpoch(members, proofs, encodeContext);
    this.o.log(`epoch ${epoch.index} closed: inputs ${epoch.firstInput}..${epoch.lastInput}, proofs ready`);
    return true;
  }
}

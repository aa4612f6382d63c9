// The node's durable state in SQLite. Every step that must happen exactly once is one transaction:
// recording an input's result with all its outputs, closing an epoch with all its proofs, marking a
// claim. A crash between transactions leaves the previous consistent state, and the pipeline
// resumes from it (re-running at most the one input that was in flight).
import Database from 'better-sqlite3';
import type {
  AdvanceResult,
  CompletionStatus,
  EpochRow,
  InputRow,
  NewInputRow,
  NoticeRow,
  ProofRow,
  ReportRow,
  VoucherRow,
} from './rows.js';
import type { EpochProofs } from '../proofs/index.js';
import { migrate } from './schema.js';

type Raw = Record<string, unknown>;

const inputRow = (r: Raw): InputRow => ({
  index: r.idx as number,
  status: r.status as CompletionStatus,
  msgSender: r.msg_sender as string,
  timestamp: r.timestamp as number,
  blockNumber: r.block_number as number,
  blockHash: r.block_hash as string,
  payload: r.payload as string,
  epochIndex: (r.epoch as number | null) ?? null,
  machineHash: (r.machine_hash as string | null) ?? null,
  cycles: (r.cycles as number | null) ?? null,
});
const proof = (r: Raw): ProofRow | null => (r.proof ? (JSON.parse(r.proof as string) as ProofRow) : null);
const voucherRow = (r: Raw): VoucherRow => ({
  inputIndex: r.input_idx as number,
  index: r.idx as number,
  destination: r.destination as string,
  payload: r.payload as string,
  proof: proof(r),
});
const noticeRow = (r: Raw): NoticeRow => ({
  inputIndex: r.input_idx as number,
  index: r.idx as number,
  payload: r.payload as string,
  proof: proof(r),
});
const reportRow = (r: Raw): ReportRow => ({
  inputIndex: r.input_idx as number,
  index: r.idx as number,
  payload: r.payload as string,
});
const epochRow = (r: Raw): EpochRow => ({
  index: r.idx as number,
  firstInput: r.first_input as number,
  lastInput: r.last_input as number,
  vouchersRoot: r.vouchers_root as string,
  noticesRoot: r.notices_root as string,
  machineStateHash: r.machine_state_hash as string,
  epochHash: r.epoch_hash as string,
  claimTx: (r.claim_tx as string | null) ?? null,
  claimed: r.claimed === 1,
});

export type OutputKind = 'vouchers' | 'notices' | 'reports';

export class Store {
  readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL + synchronous=NORMAL: a killed process never loses a committed transaction
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    try {
      migrate(this.db, path);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  close() {
    this.db.close();
  }

  getMeta(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return r?.value ?? null;
  }

  setMeta(key: string, value: string) {
    this.db
      .prepare(
        'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /** Forget everything (the chain this state belonged to is gone). */
  reset() {
    this.db.exec(
      'DELETE FROM meta; DELETE FROM inputs; DELETE FROM vouchers; DELETE FROM notices; DELETE FROM reports; DELETE FROM epochs;',
    );
  }

  /** Records newly seen inputs (status UNPROCESSED) and how far the chain was read (and that block's hash), atomically. */
  addInputs(inputs: NewInputRow[], scannedBlock: number, scannedBlockHash?: string) {
    const insert = this.db.prepare(
      `INSERT INTO inputs(idx, status, msg_sender, timestamp, block_number, block_hash, payload)
       VALUES (@index, 'UNPROCESSED', @msgSender, @timestamp, @blockNumber, @blockHash, @payload) ON CONFLICT(idx) DO NOTHING`,
    );
    this.db.transaction(() => {
      for (const i of inputs) insert.run(i);
      this.setMeta('scannedBlock', String(scannedBlock));
      if (scannedBlockHash) this.setMeta('scannedBlockHash', scannedBlockHash);
      else this.db.prepare("DELETE FROM meta WHERE key = 'scannedBlockHash'").run();
    })();
  }

  scannedBlock(): number | null {
    const v = this.getMeta('scannedBlock');
    return v === null ? null : Number(v);
  }

  nextUnprocessed(): InputRow | null {
    const r = this.db
      .prepare("SELECT * FROM inputs WHERE status = 'UNPROCESSED' ORDER BY idx LIMIT 1")
      .get() as Raw | undefined;
    return r ? inputRow(r) : null;
  }

  /**
   * Stores an input's outcome and outputs in one transaction, and only if it is still unprocessed,
   * so a replayed or duplicated finish can never record an input twice.
   */
  recordResult(index: number, result: AdvanceResult): boolean {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          "UPDATE inputs SET status = ?, exception_payload = ?, processed_at = ?, machine_hash = ?, cycles = ? WHERE idx = ? AND status = 'UNPROCESSED'",
        )
        .run(
          result.status,
          result.exceptionPayload,
          Date.now(),
          result.machineHash ?? null,
          result.cycles ?? null,
          index,
        ).changes;
      if (changed !== 1) return false;
      // v1 semantics: a rejected (or failed) input keeps its reports, its vouchers and notices are discarded
      if (result.status === 'ACCEPTED') {
        const v = this.db.prepare(
          'INSERT INTO vouchers(input_idx, idx, destination, payload) VALUES (?, ?, ?, ?)',
        );
        result.vouchers.forEach((o, k) => v.run(index, k, o.destination, o.payload));
        const n = this.db.prepare('INSERT INTO notices(input_idx, idx, payload) VALUES (?, ?, ?)');
        result.notices.forEach((o, k) => n.run(index, k, o.payload));
      }
      const r = this.db.prepare('INSERT INTO reports(input_idx, idx, payload) VALUES (?, ?, ?)');
      result.reports.forEach((o, k) => r.run(index, k, o.payload));
      return true;
    })();
  }

  /** The first ACCEPTED input with an index above `index`. */
  nextAcceptedAfter(index: number): InputRow | null {
    const r = this.db
      .prepare("SELECT * FROM inputs WHERE status = 'ACCEPTED' AND idx > ? ORDER BY idx LIMIT 1")
      .get(index) as Raw | undefined;
    return r ? inputRow(r) : null;
  }

  /** The next input after `index` a backend finished (accepted or rejected): what a replay gives it again. */
  nextFinishedAfter(index: number): InputRow | null {
    const r = this.db
      .prepare(
        "SELECT * FROM inputs WHERE status IN ('ACCEPTED', 'REJECTED') AND idx > ? ORDER BY idx LIMIT 1",
      )
      .get(index) as Raw | undefined;
    return r ? inputRow(r) : null;
  }

  /** How many inputs after `index` a backend finished (accepted or rejected). */
  finishedCountAfter(index: number): number {
    return (
      this.db
        .prepare("SELECT COUNT(*) AS n FROM inputs WHERE status IN ('ACCEPTED', 'REJECTED') AND idx > ?")
        .get(index) as { n: number }
    ).n;
  }

  /** The processed input with the highest index. */
  lastProcessed(): InputRow | null {
    const r = this.db
      .prepare("SELECT * FROM inputs WHERE status != 'UNPROCESSED' ORDER BY idx DESC LIMIT 1")
      .get() as Raw | undefined;
    return r ? inputRow(r) : null;
  }

  processedCount(): number {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM inputs WHERE status != 'UNPROCESSED'").get() as { n: number }
    ).n;
  }

  /** Processed inputs not yet in a closed epoch, in order. */
  unepochedProcessed(): InputRow[] {
    return (
      this.db
        .prepare("SELECT * FROM inputs WHERE epoch IS NULL AND status != 'UNPROCESSED' ORDER BY idx")
        .all() as Raw[]
    ).map(inputRow);
  }

  hasUnprocessed(): boolean {
    return !!this.db.prepare("SELECT 1 FROM inputs WHERE status = 'UNPROCESSED' LIMIT 1").get();
  }

  lastInput(): InputRow | null {
    const r = this.db.prepare('SELECT * FROM inputs ORDER BY idx DESC LIMIT 1').get() as Raw | undefined;
    return r ? inputRow(r) : null;
  }

  /** Closes an epoch: writes the epoch row and every proof of its outputs in one transaction. */
  closeEpoch(inputs: InputRow[], proofs: EpochProofs, context: (claimIndex: number) => string): EpochRow {
    return this.db.transaction(() => {
      const next = (
        this.db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM epochs').get() as { n: number }
      ).n;
      const ctx = context(next);
      const first = inputs[0]!.index;
      const last = inputs.at(-1)!.index;
      this.db
        .prepare(
          'INSERT INTO epochs(idx, first_input, last_input, vouchers_root, notices_root, machine_state_hash, epoch_hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          next,
          first,
          last,
          proofs.vouchersEpochRootHash,
          proofs.noticesEpochRootHash,
          proofs.machineStateHash,
          proofs.epochHash,
        );
      this.db.prepare('UPDATE inputs SET epoch = ? WHERE idx BETWEEN ? AND ?').run(next, first, last);
      const setV = this.db.prepare('UPDATE vouchers SET proof = ? WHERE input_idx = ? AND idx = ?');
      const setN = this.db.prepare('UPDATE notices SET proof = ? WHERE input_idx = ? AND idx = ?');
      inputs.forEach((input, i) => {
        proofs.vouchers[i]!.forEach((p, k) =>
          setV.run(JSON.stringify({ validity: p, context: ctx }), input.index, k),
        );
        proofs.notices[i]!.forEach((p, k) =>
          setN.run(JSON.stringify({ validity: p, context: ctx }), input.index, k),
        );
      });
      return this.epoch(next)!;
    })();
  }

  /** Number of closed epochs, which is also the claim index of the next one. */
  epochCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM epochs').get() as { n: number }).n;
  }

  epoch(index: number): EpochRow | null {
    const r = this.db.prepare('SELECT * FROM epochs WHERE idx = ?').get(index) as Raw | undefined;
    return r ? epochRow(r) : null;
  }

  unclaimedEpochs(): EpochRow[] {
    return (this.db.prepare('SELECT * FROM epochs WHERE claimed = 0 ORDER BY idx').all() as Raw[]).map(
      epochRow,
    );
  }

  markClaimed(index: number, txHash: string | null) {
    this.db
      .prepare('UPDATE epochs SET claimed = 1, claim_tx = COALESCE(?, claim_tx) WHERE idx = ?')
      .run(txHash, index);
  }

  // ---- reads for the GraphQL reader ----

  input(index: number): InputRow | null {
    const r = this.db.prepare('SELECT * FROM inputs WHERE idx = ?').get(index) as Raw | undefined;
    return r ? inputRow(r) : null;
  }

  countInputs(filter: { lt?: number | null; gt?: number | null }): number {
    const { where, args } = inputFilter(filter);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM inputs ${where}`).get(...args) as { n: number }).n;
  }

  inputs(filter: { lt?: number | null; gt?: number | null }, offset: number, limit: number): InputRow[] {
    const { where, args } = inputFilter(filter);
    return (
      this.db
        .prepare(`SELECT * FROM inputs ${where} ORDER BY idx LIMIT ? OFFSET ?`)
        .all(...args, limit, offset) as Raw[]
    ).map(inputRow);
  }

  voucher(inputIndex: number, index: number): VoucherRow | null {
    const r = this.db
      .prepare('SELECT * FROM vouchers WHERE input_idx = ? AND idx = ?')
      .get(inputIndex, index) as Raw | undefined;
    return r ? voucherRow(r) : null;
  }

  notice(inputIndex: number, index: number): NoticeRow | null {
    const r = this.db
      .prepare('SELECT * FROM notices WHERE input_idx = ? AND idx = ?')
      .get(inputIndex, index) as Raw | undefined;
    return r ? noticeRow(r) : null;
  }

  report(inputIndex: number, index: number): ReportRow | null {
    const r = this.db
      .prepare('SELECT * FROM reports WHERE input_idx = ? AND idx = ?')
      .get(inputIndex, index) as Raw | undefined;
    return r ? reportRow(r) : null;
  }

  countOutputs(kind: OutputKind, inputIndex: number | null): number {
    const where = inputIndex === null ? '' : 'WHERE input_idx = ?';
    const args = inputIndex === null ? [] : [inputIndex];
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${kind} ${where}`).get(...args) as { n: number }).n;
  }

  outputs(kind: 'vouchers', inputIndex: number | null, offset: number, limit: number): VoucherRow[];
  outputs(kind: 'notices', inputIndex: number | null, offset: number, limit: number): NoticeRow[];
  outputs(kind: 'reports', inputIndex: number | null, offset: number, limit: number): ReportRow[];
  outputs(
    kind: OutputKind,
    inputIndex: number | null,
    offset: number,
    limit: number,
  ): (VoucherRow | NoticeRow | ReportRow)[] {
    const where = inputIndex === null ? '' : 'WHERE input_idx = ?';
    const args = inputIndex === null ? [] : [inputIndex];
    const rows = this.db
      .prepare(`SELECT * FROM ${kind} ${where} ORDER BY input_idx, idx LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as Raw[];
    return rows.map(kind === 'vouchers' ? voucherRow : kind === 'notices' ? noticeRow : reportRow);
  }
}

function inputFilter(f: { lt?: number | null; gt?: number | null }) {
  const clauses: string[] = [];
  const args: number[] = [];
  if (f.lt !== undefined && f.lt !== null) {
    clauses.push('idx < ?');
    args.push(f.lt);
  }
  if (f.gt !== undefined && f.gt !== null) {
    clauses.push('idx > ?');
    args.push(f.gt);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

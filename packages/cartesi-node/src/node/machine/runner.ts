// Machine mode: the backend runs inside the real Cartesi machine, driven through the emulator (driver.lua), and the
// pipeline hands it inputs exactly as it hands them to a host backend (InputRunner).
//
//   template   the machine booted with the backend loaded, stopped at its first finish; built once per machine (its
//              key hashes the emulator, the images and the config) into <templatesDir>/<key>, reused by every node.
//   snapshots  forks, for rollback: a rejected input, an exception, a halt or an inspect leave the machine exactly
//              as before (same root hash, checked). On disk, for restarts: after each accepted input the machine is
//              stored in <snapshotsDir>/<root hash> before the node records the input, and older snapshots go once
//              a newer one is recorded. On start the node loads the snapshot of the state its store says it reached
//              and checks its root hash; without one (deleted, or the state was made in host mode) it re-derives
//              the state from the template by replaying the accepted inputs, checking their outputs.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AdvanceMetadata } from '@tt/cartesi-v1';
import type { InputRunner, RequestProgress } from '../input-runner.js';
import type { MachineStatus } from '../status.js';

export type { MachineStatus };
import { advanceMetadata } from '../pipeline.js';
import { noticeHash, voucherHash } from '../proofs/index.js';
import { BackendGoneError, type InspectResult } from '../rollup-api/host-runner.js';
import type { AdvanceResult } from '../store/rows.js';
import type { Store } from '../store/store.js';
import { machineConfig, type MachineOptions } from './config.js';
import { MachineDriver, DriverGoneError, processModule, type AnswerLine } from './driver.js';
import { decodeBytes, decodeVoucher, encodeMetadata, encodeRx } from './encoding.js';
import { MachineError } from './errors.js';
import { addSample, estimateCycles, type WorkSample } from './estimate.js';
import { isAlive } from '../../pid.js';

export interface MachineRunnerOptions {
  machine: MachineOptions;
  /** This node's snapshots (machine states after accepted inputs). */
  snapshotsDir: string;
  store: Store;
  log: (line: string) => void;
}

interface Template {
  key: string;
  dir: string;
  hash: string;
  bootCycles: number;
}

const DEFAULT_MAX_CYCLES = 2 ** 44;
const TEMPLATES_KEPT = 4;
const META_WORK_SAMPLES = 'machineWorkSamples';
const giga = (n: number) => `${(n / 1e9).toFixed(2)} G`;

/** What one request gave, from the driver's answer lines. */
interface Answer {
  outcome: string | null;
  cycles: number;
  vouchers: { destination: string; payload: string }[];
  notices: { payload: string }[];
  reports: { payload: string }[];
  voucherHashes: string[];
  noticeHashes: string[];
  exceptionPayload: string | null;
  workerError: string | null;
}

export class MachineRunner implements InputRunner {
  private driver: MachineDriver | null = null;
  private liveHash: string | null = null;
  private ready: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  private phase: MachineStatus['phase'] = 'loading';
  private failure: string | null = null;
  private running: (RequestProgress & { work: number | null }) | null = null;
  private stopping = false;
  private moduleDir = '';

  private constructor(
    private readonly o: MachineRunnerOptions,
    private readonly template: Template,
    private readonly configPath: string,
  ) {}

  get templateHash(): string {
    return this.template.hash;
  }

  /** The template's machine on disk (a stored machine, loadable by driver.lua). */
  get templateDir(): string {
    return join(this.template.dir, 'machine');
  }

  /**
   * Finds the template for these options, building it when there is none yet (boots the machine to its first
   * finish: a minute or so, once per machine), and returns the runner. Call start() to load the node's state.
   */
  static async prepare(o: MachineRunnerOptions): Promise<MachineRunner> {
    const { templatesDir } = o.machine;
    mkdirSync(templatesDir, { recursive: true });
    mkdirSync(o.snapshotsDir, { recursive: true });
    const moduleDir = await processModule(templatesDir);
    const { lua, key } = await machineConfig(o.machine);
    const dir = join(templatesDir, key);
    const configPath = join(o.snapshotsDir, 'config.lua');
    writeFileSync(configPath, lua);
    let built: { driver: MachineDriver; template: Template } | null = null;
    if (!existsSync(join(dir, 'template.json'))) {
      built = await MachineRunner.buildTemplate(o, moduleDir, configPath, dir, key);
    }
    const template =
      built?.template ?? (JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as Template);
    template.dir = dir;
    const now = new Date();
    utimesSync(join(dir, 'template.json'), now, now); // the templates kept are the ones used last
    pruneTemplates(templatesDir, key);
    const runner = new MachineRunner(o, template, configPath);
    runner.moduleDir = moduleDir;
    if (built) {
      runner.driver = built.driver;
      runner.liveHash = template.hash;
    }
    return runner;
  }

  private static async buildTemplate(
    o: MachineRunnerOptions,
    moduleDir: string,
    configPath: string,
    dir: string,
    key: string,
  ): Promise<{ driver: MachineDriver; template: Template }> {
    const log = o.log;
    const tmp = `${dir}.partial-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    log('machine: building the template: booting the machine until the backend asks for its first input…');
    let lastLog = Date.now();
    const driver = MachineDriver.start({
      luaDir: o.machine.emulatorLuaDir,
      moduleDir,
      maxCyclesPerRequest: o.machine.maxCyclesPerInput ?? DEFAULT_MAX_CYCLES,
      onConsole: (l) => log(`[machine] ${l}`),
      onExit: () => undefined,
    });
    let bootCycles = 0;
    try {
      await driver.command(`boot ${configPath}`, (l) => {
        if (l.kind === 'progress' && Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          log(`machine: booting, ${giga(Number(l.rest.split(' ')[0]))} cycles so far`);
        }
        if (l.kind === 'booted') {
          bootCycles = Number(l.rest);
          log(
            `machine: at its first finish after ${giga(bootCycles)} cycles; computing its root hash (every page once: up to a minute)…`,
          );
        }
      });
      const stored = await driver.command(`store ${join(tmp, 'machine')}`);
      const template: Template = { key, dir, hash: stored.hash, bootCycles };
      writeFileSync(join(tmp, 'template.json'), JSON.stringify(template, null, 2) + '\n');
      try {
        renameSync(tmp, dir);
      } catch {
        rmSync(tmp, { recursive: true, force: true }); // another node built the same template first
      }
      log(`machine: template ${template.hash} stored in ${dir}`);
      return { driver, template };
    } catch (e) {
      await driver.stop();
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /** Loads the machine state the node's store says it reached (in the background; requests wait for it). */
  start() {
    this.ready = this.restore();
    this.ready.catch(() => undefined);
  }

  status(): MachineStatus {
    return {
      templateHash: this.template.hash,
      stateHash: this.liveHash,
      phase: this.phase,
      error: this.failure,
    };
  }

  /** The machine's state now; while it is being loaded, the recorded one it is being loaded into. */
  stateHash(): string | null {
    return this.liveHash ?? this.targetHash();
  }

  current(): RequestProgress | null {
    const r = this.running;
    if (!r) return null;
    const estimatedCycles = r.work !== null ? estimateCycles(this.workSamples(), r.work) : null;
    const etaSeconds =
      estimatedCycles !== null && r.cyclesPerSecond
        ? Math.max(0, (estimatedCycles - (r.cycles ?? 0)) / r.cyclesPerSecond)
        : null;
    const { work: _work, ...progress } = r;
    return { ...progress, estimatedCycles, etaSeconds };
  }

  /** (work, cycles) of the last accepted inputs, kept in the store so the ETA survives restarts. */
  private workSamples(): WorkSample[] {
    try {
      return JSON.parse(this.o.store.getMeta(META_WORK_SAMPLES) ?? '[]') as WorkSample[];
    } catch {
      return [];
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.driver?.stop();
  }

  // ---- loading the state ----

  private snapshotDir(hash: string): string {
    return join(this.o.snapshotsDir, hash.slice(2));
  }

  /** The root hash after the last processed input, by the store; null when that input was processed in host mode. */
  private targetHash(): string | null {
    const last = this.o.store.lastProcessed();
    return last ? last.machineHash : this.template.hash;
  }

  private ensureDriver(): MachineDriver {
    if (this.driver?.alive) return this.driver;
    const driver = MachineDriver.start({
      luaDir: this.o.machine.emulatorLuaDir,
      moduleDir: this.moduleDir,
      maxCyclesPerRequest: this.o.machine.maxCyclesPerInput ?? DEFAULT_MAX_CYCLES,
      onConsole: (l) => this.o.log(`[machine] ${l}`),
      onExit: (why) => this.driverExited(driver, why),
    });
    this.driver = driver;
    this.liveHash = null;
    return driver;
  }

  private driverExited(driver: MachineDriver, why: string) {
    // a driver that dies while the state is being loaded fails that load (no loop of reloads)
    if (this.stopping || this.driver !== driver || this.phase !== 'ready') return;
    this.o.log(`machine: ${why}; loading the last recorded state again`);
    this.liveHash = null;
    this.ready = this.restore();
    this.ready.catch(() => undefined);
  }

  private async load(dir: string, what: string): Promise<string> {
    const driver = this.ensureDriver();
    this.o.log(`machine: loading ${what} and computing its root hash (every page once: up to a minute)…`);
    const started = Date.now();
    const { hash } = await driver.command(`load ${dir}`);
    this.liveHash = hash;
    this.o.log(
      `machine: loaded ${what}, root hash ${hash} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return hash;
  }

  private async restore(): Promise<void> {
    this.phase = 'loading';
    this.failure = null;
    try {
      const target = this.targetHash();
      if (target !== null && this.driver?.alive && this.liveHash === target) return this.setReady();
      if (target === this.template.hash) {
        if ((await this.load(this.templateDir, 'the template')) !== target)
          throw new MachineError(
            `the template in ${this.template.dir} does not have its recorded root hash ${target}`,
            `Delete ${this.template.dir}: the next start builds it again`,
          );
        return this.setReady();
      }
      if (target !== null && existsSync(this.snapshotDir(target))) {
        if (
          (await this.load(this.snapshotDir(target), 'the snapshot of the last processed input')) === target
        )
          return this.setReady();
        this.o.log(
          `machine: the snapshot in ${this.snapshotDir(target)} is damaged (another root hash); re-deriving the state instead`,
        );
        rmSync(this.snapshotDir(target), { recursive: true, force: true });
      }
      await this.replay(target);
      this.setReady();
    } catch (e) {
      this.phase = 'failed';
      this.failure = (e as Error).message;
      if (!this.stopping) this.o.log(`machine: ${(e as Error).message}`);
      throw e;
    }
  }

  private setReady() {
    this.phase = 'ready';
  }

  /** From the template, the accepted inputs again in order, each checked against its recorded outputs. */
  private async replay(target: string | null) {
    const { store, log } = this.o;
    if ((await this.load(this.templateDir, 'the template')) !== this.template.hash)
      throw new MachineError(
        `the template in ${this.template.dir} does not have its recorded root hash`,
        `Delete ${this.template.dir}: the next start builds it again`,
      );
    this.phase = 'replaying';
    log(
      target === null
        ? 'machine: the node state was made without the machine (host mode): re-deriving the machine state by replaying the accepted inputs'
        : `machine: no snapshot of state ${target}: re-deriving it by replaying the accepted inputs`,
    );
    let n = 0;
    for (let input = store.nextAcceptedAfter(-1); input; input = store.nextAcceptedAfter(input.index)) {
      const a = await this.request(
        'advance',
        encodeMetadata(advanceMetadata(input)),
        encodeRx(input.payload),
        null,
      );
      const stored = {
        vouchers: store
          .outputs('vouchers', input.index, 0, 1 << 16)
          .map((v) => ({ destination: v.destination, payload: v.payload })),
        notices: store.outputs('notices', input.index, 0, 1 << 16).map((x) => ({ payload: x.payload })),
      };
      if (
        a.outcome !== 'accepted' ||
        JSON.stringify({ vouchers: a.vouchers, notices: a.notices }) !== JSON.stringify(stored)
      )
        throw new MachineError(
          `replaying input ${input.index} in the machine gave ${a.outcome} with other outputs than the node recorded`,
          'The backend or the machine image changed since: start over with --fresh (or another state folder)',
        );
      n++;
    }
    if (target !== null && this.liveHash !== target)
      throw new MachineError(
        `replaying ${n} accepted input(s) gave root hash ${this.liveHash}, not the recorded ${target}`,
        'The machine image changed since the node recorded its state: start over with --fresh (or another state folder)',
      );
    if (n > 0) await this.storeSnapshot();
    log(`machine: state re-derived from ${n} accepted input(s): root hash ${this.liveHash}`);
  }

  // ---- requests ----

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      await this.ready;
      return f();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends one request to the driver and gathers its answer. A dead driver is a BackendGoneError (retried). */
  private async request(
    kind: 'advance' | 'inspect',
    meta: string | null,
    rx: string,
    progress: (RequestProgress & { work: number | null }) | null,
  ): Promise<Answer & { hash: string }> {
    const a: Answer = {
      outcome: null,
      cycles: 0,
      vouchers: [],
      notices: [],
      reports: [],
      voucherHashes: [],
      noticeHashes: [],
      exceptionPayload: null,
      workerError: null,
    };
    const onLine = (l: AnswerLine) => {
      switch (l.kind) {
        case 'progress': {
          const [cycles, seconds] = l.rest.split(' ').map(Number) as [number, number];
          if (progress) {
            progress.cycles = cycles;
            progress.cyclesPerSecond = seconds > 0 ? cycles / seconds : null;
          }
          break;
        }
        case 'voucher':
          a.vouchers.push(decodeVoucher(l.rest));
          break;
        case 'notice':
          a.notices.push({ payload: decodeBytes(l.rest, 'notice') });
          break;
        case 'report':
          a.reports.push({ payload: decodeBytes(l.rest, 'report') });
          break;
        case 'exception':
          a.exceptionPayload = decodeBytes(l.rest, 'exception');
          break;
        case 'outcome': {
          const [outcome, cycles] = l.rest.split(' ');
          a.outcome = outcome!;
          a.cycles = Number(cycles);
          break;
        }
        case 'voucher-hash':
          a.voucherHashes.push(`0x${l.rest}`);
          break;
        case 'notice-hash':
          a.noticeHashes.push(`0x${l.rest}`);
          break;
        case 'worker-error':
          a.workerError = l.rest;
          break;
      }
    };
    const driver = this.driver;
    if (!driver?.alive) throw new BackendGoneError('the machine is being loaded again');
    const before = this.liveHash;
    let hash: string;
    try {
      ({ hash } = await driver.command(
        kind === 'advance' ? `advance ${meta} ${rx}` : `inspect ${rx}`,
        onLine,
      ));
    } catch (e) {
      if (e instanceof DriverGoneError) throw new BackendGoneError(e.message);
      throw e;
    }
    if (a.workerError !== null || a.outcome === null)
      throw new BackendGoneError(
        `the machine driver failed on the request: ${a.workerError ?? 'no outcome'}`,
      );
    if (a.outcome === 'accepted' && kind === 'advance') {
      this.liveHash = hash;
      const vh = a.vouchers.map((v) => voucherHash(v.destination, v.payload));
      const nh = a.notices.map((n) => noticeHash(n.payload));
      if (
        JSON.stringify(vh) !== JSON.stringify(a.voucherHashes) ||
        JSON.stringify(nh) !== JSON.stringify(a.noticeHashes)
      )
        throw new MachineError(
          'the output hashes the machine left differ from the keccak256 of the outputs it yielded',
          "The machine's rollup server is broken: rebuild the image with `pnpm machine build`",
        );
    } else if (hash !== before) {
      throw new MachineError(
        `the machine's root hash changed from ${before} to ${hash} on a request that must leave it as it was`,
        'This is a bug in the machine driver: report it',
      );
    }
    return { ...a, hash };
  }

  private async storeSnapshot() {
    const hash = this.liveHash!;
    const dir = this.snapshotDir(hash);
    if (existsSync(dir)) return;
    rmSync(`${dir}.partial`, { recursive: true, force: true });
    await this.driver!.command(`store ${dir}`);
  }

  /** Snapshots other than the live state's: the store has recorded a newer one (they are kept until it has). */
  private pruneSnapshots() {
    const keep = this.liveHash?.slice(2);
    for (const name of readdirSync(this.o.snapshotsDir)) {
      if (name === 'config.lua' || name === keep) continue;
      rmSync(join(this.o.snapshotsDir, name), { recursive: true, force: true });
    }
  }

  advance(metadata: AdvanceMetadata, payload: string): Promise<AdvanceResult> {
    return this.serial(async () => {
      const work = this.o.machine.inputWork?.(payload) ?? null;
      const progress = {
        kind: 'advance' as const,
        inputIndex: metadata.input_index,
        startedAt: Date.now(),
        cycles: 0,
        cyclesPerSecond: null,
        estimatedCycles: null,
        etaSeconds: null,
        work,
      };
      // the machine must be in the state the store recorded last, whatever happened before (a result the node
      // did not record, a driver that died): never apply an input twice
      const target = this.targetHash();
      if (target !== null && target !== this.liveHash) {
        this.o.log(`machine: the machine is not in the recorded state ${target}; loading it`);
        this.ready = this.restore();
        await this.ready;
      }
      this.pruneSnapshots();
      this.running = progress;
      let a: Answer & { hash: string };
      try {
        a = await this.request('advance', encodeMetadata(metadata), encodeRx(payload), progress);
        if (a.outcome === 'accepted') await this.storeSnapshot();
      } catch (e) {
        // the live machine may be past the recorded state (accepted, then not stored): go back to the recorded one
        // (driverExited then loads the recorded state)
        if (!(e instanceof BackendGoneError) && this.driver?.alive) await this.driver.stop();
        throw e;
      } finally {
        this.running = null;
      }
      if (a.outcome === 'accepted' && work !== null && work > 0)
        this.o.store.setMeta(
          META_WORK_SAMPLES,
          JSON.stringify(addSample(this.workSamples(), { work, cycles: a.cycles })),
        );
      const status =
        a.outcome === 'accepted'
          ? 'ACCEPTED'
          : a.outcome === 'rejected'
            ? 'REJECTED'
            : a.outcome === 'halted'
              ? 'MACHINE_HALTED'
              : a.outcome === 'cycle-limit'
                ? 'CYCLE_LIMIT_EXCEEDED'
                : 'EXCEPTION';
      return {
        status,
        vouchers: status === 'ACCEPTED' ? a.vouchers : [],
        notices: status === 'ACCEPTED' ? a.notices : [],
        reports: a.reports,
        exceptionPayload: a.exceptionPayload,
        machineHash: a.hash,
        cycles: a.cycles,
      };
    });
  }

  inspect(payload: string): Promise<InspectResult> {
    return this.serial(async () => {
      this.running = {
        kind: 'inspect',
        inputIndex: null,
        startedAt: Date.now(),
        cycles: 0,
        cyclesPerSecond: null,
        estimatedCycles: null,
        etaSeconds: null,
        work: null,
      };
      try {
        const a = await this.request('inspect', null, encodeRx(payload), this.running);
        const status =
          a.outcome === 'accepted' ? 'Accepted' : a.outcome === 'rejected' ? 'Rejected' : 'Exception';
        const why =
          a.outcome === 'halted'
            ? 'the machine halted'
            : a.outcome === 'cycle-limit'
              ? 'the inspect ran past the cycle limit'
              : null;
        return {
          status,
          reports: a.reports,
          exceptionPayload: a.exceptionPayload ?? (why ? `0x${Buffer.from(why).toString('hex')}` : null),
        };
      } finally {
        this.running = null;
      }
    });
  }
}

/** Keeps the templates used last (each is a whole stored machine: hundreds of MB); partial ones of dead builds go. */
function pruneTemplates(dir: string, current: string) {
  const entries = readdirSync(dir)
    .filter((n) => /^[0-9a-f]{24}$/.test(n) && n !== current && existsSync(join(dir, n, 'template.json')))
    .map((n) => ({ n, t: statSync(join(dir, n, 'template.json')).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of entries.slice(TEMPLATES_KEPT - 1))
    rmSync(join(dir, n), { recursive: true, force: true });
  for (const n of readdirSync(dir)) {
    const m = /\.partial-(\d+)$/.exec(n);
    if (m && !isAlive(Number(m[1]))) rmSync(join(dir, n), { recursive: true, force: true });
  }
}

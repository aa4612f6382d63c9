// startNode: the Cartesi-v1-compatible node (reader, inspect, rollup API, input pipeline, claimer)
// on top of any chain where the v1 contracts and the application are deployed.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import type { Provider, Signer } from 'ethers';
import { Store } from './store/store.js';
import { HostRunner } from './rollup-api/host-runner.js';
import { BackendSupervisor, type BackendCommand } from './backend/supervisor.js';
import { Claimer } from './claimer/claimer.js';
import { Pipeline } from './pipeline.js';
import { readerSchema } from './graphql/resolvers.js';
import { startNodeServer, type ExtraRoutes } from './server.js';
import { listenError } from '../errors.js';
import { accessPolicy } from '../http/access.js';
import { MachineRunner } from './machine/runner.js';
import type { MachineOptions } from './machine/config.js';
import type { NodeStatus } from './status.js';
import type { InputRunner } from './input-runner.js';

export type { BackendCommand } from './backend/supervisor.js';
export type { ExtraRoute, ExtraRoutes } from './server.js';
export type { MachineOptions, MachineDrive } from './machine/config.js';
export type { NodeStatus } from './status.js';

export interface NodeOptions {
  provider: Provider;
  /** The Authority's owner: submits the claims. */
  owner: Signer;
  application: string;
  authority: string;
  inputBox: string;
  inputBoxDeploymentBlock: number;
  storePath: string;
  host?: string;
  port?: number;
  /** A command the node runs and supervises (host mode), or 'none' when you run the backend yourself against rollupUrl. */
  backend: BackendCommand | 'none';
  /**
   * Machine mode: the backend runs inside this Cartesi machine (its entrypoint), not on the host; `backend` is then
   * ignored and there is no rollup API for a host backend.
   */
  machine?: MachineOptions;
  /** Machine mode: where this node's machine snapshots live (default: `machine` beside the store). */
  machineStateDir?: string;
  epochLength?: number;
  /** Replay accepted inputs into every new backend process before new inputs (see PipelineOptions). */
  restoreBackendState?: boolean;
  finishTimeoutMs?: number;
  /** GET routes to serve beside the node's APIs (the devnet's deployments file and model files). */
  routes?: ExtraRoutes;
  /** Identifies the chain this store belongs to; a different value resets the store (the chain was recreated). */
  chainIdentity: string;
  /**
   * Web origins (the UI's) that may call the reader, inspect and the extra routes, with CORS headers for them alone.
   * Default: http://127.0.0.1:5173 and http://localhost:5173. The rollup API never answers web pages.
   */
  allowedOrigins?: readonly string[];
  /** The rollup API's per-run secret (default: 24 random bytes); it is part of rollupUrl. */
  rollupSecret?: string;
  log?: (line: string) => void;
}

export interface RunningNode {
  url: string;
  graphqlUrl: string;
  inspectUrl: string;
  /** The rollup API for the backend, with the per-run secret in its path: whoever has it can answer inputs. */
  rollupUrl: string;
  store: Store;
  hostRunner: HostRunner;
  backend: BackendSupervisor | null;
  /** Machine mode's runner (template hash, state), or null in host mode. */
  machine: MachineRunner | null;
  pipeline: Pipeline;
  status(): NodeStatus;
  /** Tell the node a block was mined (it also polls). */
  poke(): void;
  /** Resolves when every input so far is processed, and (in the default epoch mode) proven and claimed. */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The chain may have lost its last blocks (a torn journal, a crash between a transaction and its journal entry). The
 * node must then neither serve inputs from blocks that are gone nor skip the block numbers that will be mined again.
 */
async function reconcileWithChain(store: Store, provider: Provider, log: (line: string) => void) {
  const last = store.lastInput();
  if (last) {
    const block = await provider.getBlock(last.blockNumber);
    if (!block || block.hash !== last.blockHash) {
      log(
        `node: input ${last.index}'s block ${last.blockNumber} is no longer on the chain; starting the node state afresh`,
      );
      store.reset();
      return;
    }
  }
  const latest = await provider.getBlockNumber();
  const scanned = store.scannedBlock();
  if (scanned !== null && scanned > latest) store.addInputs([], latest);
}

export async function startNode(o: NodeOptions): Promise<RunningNode> {
  const log = o.log ?? ((l: string) => console.log(l));
  const store = new Store(o.storePath);
  const identity = store.getMeta('chainIdentity');
  if (identity !== null && identity !== o.chainIdentity) {
    log(
      'node: the saved node state belongs to another chain (the chain was recreated); starting the node state afresh',
    );
    store.reset();
  }
  await reconcileWithChain(store, o.provider, log);
  store.setMeta('chainIdentity', o.chainIdentity);

  const hostRunner = new HostRunner(o.finishTimeoutMs ?? 10_000);
  const rollupSecret = o.rollupSecret ?? randomBytes(24).toString('base64url');
  const host = o.host ?? '127.0.0.1';
  let machine: MachineRunner | null = null;
  if (o.machine) {
    try {
      machine = await MachineRunner.prepare({
        machine: o.machine,
        snapshotsDir: o.machineStateDir ?? join(dirname(o.storePath), 'machine'),
        store,
        log,
      });
    } catch (e) {
      store.close();
      throw e;
    }
  }
  const runner: InputRunner = machine ?? hostRunner;
  const status = (): NodeStatus => {
    const inputs = store.countInputs({});
    return {
      mode: machine ? 'machine' : 'host',
      inputs,
      processedInputs: store.processedCount(),
      current: runner.current(),
      machine: machine?.status() ?? null,
    };
  };
  let server: Server;
  let url: string;
  let backend: BackendSupervisor | null = null;
  try {
    ({ server, url } = await startNodeServer({
      host,
      port: o.port ?? 8080,
      schema: readerSchema(),
      context: { store },
      hostRunner,
      inspector: runner,
      status,
      processedInputCount: () => store.processedCount(),
      backendExpected: () => backend !== null,
      routes: o.routes,
      rollupSecret,
      access: accessPolicy({ origins: o.allowedOrigins, host }),
    }));
  } catch (e) {
    await machine?.stop();
    store.close();
    throw listenError(e, 'node', o.port ?? 8080);
  }
  const rollupUrl = `${url}/host-runner/${rollupSecret}`;
  if (!machine && o.backend !== 'none') {
    backend = new BackendSupervisor(
      o.backend,
      rollupUrl,
      (reason) => {
        hostRunner.abortCurrent(reason);
        pipeline?.backendRestarted();
      },
      log,
    );
  }
  const claimer = new Claimer(store, o.owner, o.authority, o.application, log);
  let pipeline: Pipeline | undefined = undefined;
  pipeline = new Pipeline({
    provider: o.provider,
    store,
    runner,
    claimer,
    application: o.application,
    inputBox: o.inputBox,
    inputBoxDeploymentBlock: o.inputBoxDeploymentBlock,
    epochLength: o.epochLength,
    // the machine runner reloads its last state when its driver dies, as a supervised backend is restarted
    supervised: backend !== null || machine !== null,
    // only a backend this node started is known to be fresh; one run by hand may still hold its state
    restoreBackendState: backend !== null && !!o.restoreBackendState,
    log,
  });
  backend?.start();
  machine?.start();
  pipeline.start();

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    inspectUrl: `${url}/inspect`,
    rollupUrl,
    store,
    hostRunner,
    backend,
    machine,
    pipeline,
    status,
    poke: () => pipeline.poke(),
    settled: (t) => pipeline.settled(t),
    async stop() {
      // backend first: on Ctrl-C the terminal signals it too, and its exit must not look like a crash to restart
      const backendStopped = backend?.stop();
      // a machine mid-input is dropped: its input was not recorded, and the next start runs it again from the
      // snapshot of the state before it
      const machineStopped = machine?.stop();
      hostRunner.close('the node is stopping');
      await pipeline.stop();
      await backendStopped;
      await machineStopped;
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}

// @tt/cartesi-node: a Cartesi Rollups v1 node for local development, no Docker (see README.md). The wire it speaks is
// @tt/cartesi-v1's; nothing here knows which application runs on it.
export { startLocalChain, type LocalChain, type LocalChainOptions, type LocalNodeOptions } from './local.js';
export {
  startNode,
  type NodeOptions,
  type RunningNode,
  type BackendCommand,
  type ExtraRoute,
  type ExtraRoutes,
  type MachineOptions,
  type MachineDrive,
  type NodeStatus,
} from './node/index.js';
export { MachineRunner, type MachineStatus } from './node/machine/runner.js';
export { MachineError } from './node/machine/errors.js';
export { shellWord } from './node/machine/config.js';
export {
  startChain,
  deployCartesi,
  CANONICAL_ADDRESSES,
  CHAIN_ID,
  type Chain,
  type CartesiDeployment,
  type Eip1193Provider,
} from './chain/index.js';
export { PortInUseError, StateDirInUseError } from './errors.js';
export { DEFAULT_UI_ORIGINS, InvalidOriginError, normalizeOrigin } from './http/access.js';
export { ChainFacts, firstBlockWithCode } from './chain/facts.js';
export { StoreVersionError } from './node/store/schema.js';
export * as proofs from './node/proofs/index.js';

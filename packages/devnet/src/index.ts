// @tt/devnet: the embedded local devnet (issue 4). See README.md in this package.
export { startDevnet, type Devnet, type DevnetOptions, type DevnetDeployments } from './devnet.js';
export {
  startNode,
  type NodeOptions,
  type RunningNode,
  type BackendCommand,
  type StaticAssets,
} from './node/index.js';
export { startChain, deployCartesi, CANONICAL_ADDRESSES, CHAIN_ID, type Chain } from './chain/index.js';
export * as proofs from './node/proofs/index.js';

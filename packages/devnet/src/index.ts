// @tt/devnet: the embedded local devnet (issue 4). See README.md in this package.
export {
  startDevnet,
  FUNDED_ACCOUNTS,
  type Devnet,
  type DevnetOptions,
  type DevnetDeployments,
} from './devnet.js';
export {
  startNode,
  type NodeOptions,
  type RunningNode,
  type BackendCommand,
  type StaticAssets,
} from './node/index.js';
export {
  startChain,
  deployCartesi,
  abis,
  CANONICAL_ADDRESSES,
  CLI_DEVNET_APPLICATION,
  TEST_MNEMONIC,
  CHAIN_ID,
  type Chain,
} from './chain/index.js';
export { readerSchemaPath, readerSchemaSource } from './node/graphql/resolvers.js';
export * as proofs from './node/proofs/index.js';

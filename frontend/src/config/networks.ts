// The networks the UI can talk to. The devnet (`pnpm dev`) and a `docker compose` Cartesi node share one port layout
// (docs/interfaces.md), so they differ only in name; a testnet is configured entirely from VITE_* variables at build time,
// its contract addresses included (VITE_TESTNET_DEPLOYMENTS_FILE): the UI never takes them from the node it checks.

export type NetworkId = 'devnet' | 'compose' | 'testnet';

export interface NetworkConfig {
  id: NetworkId;
  label: string;
  chainId: number;
  /** JSON-RPC endpoint used for reads (and by the burner wallet for writes). */
  rpcUrl: string;
  /** Base URL of the rollup node: /graphql, /inspect, /deployments.json, /models/*, /engine/*. */
  nodeUrl: string;
  graphqlUrl: string;
  inspectUrl: string;
  deploymentsUrl: string;
  /**
   * The deployments file's content, built into the UI (a testnet): then it is the only source of the contract
   * addresses and deploymentsUrl is not read. Local networks (the devnet, compose) serve their own.
   */
  deployments?: string;
  /** Where the browser fetches the model for Verify (manifest.json, checkpoint.bin, tokenizer.bin). */
  modelUrl: string;
  /** The devnet's public test accounts are offered as a burner wallet only on a local chain. */
  burner: boolean;
  /** Block explorer base URL for transaction links, if there is one. */
  explorerUrl?: string;
  /** Blocks per eth_getLogs query when reading the chain (public RPCs cap it); default @tt/client's. */
  blockRange?: number;
}

/** The chain id of Hardhat's node, which the devnet and the Cartesi CLI's compose setup both use. */
export const LOCAL_CHAIN_ID = 31337;

export type Env = Record<string, string | boolean | undefined>;

function str(env: Env, key: string): string | undefined {
  const v = env[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function fromNode(
  id: NetworkId,
  label: string,
  chainId: number,
  rpcUrl: string,
  nodeUrl: string,
  extra: Partial<NetworkConfig> = {},
): NetworkConfig {
  const node = trimSlash(nodeUrl);
  return {
    id,
    label,
    chainId,
    rpcUrl,
    nodeUrl: node,
    graphqlUrl: `${node}/graphql`,
    inspectUrl: `${node}/inspect`,
    deploymentsUrl: `${node}/deployments.json`,
    modelUrl: `${node}/models`,
    burner: chainId === LOCAL_CHAIN_ID,
    ...extra,
  };
}

/**
 * Builds the list of networks from Vite's env. `VITE_DEVNET_RPC_URL` / `VITE_DEVNET_NODE_URL` move the devnet (tests run it
 * on free ports); `VITE_TESTNET_*` adds a testnet; without `VITE_TESTNET_RPC_URL` there is no testnet entry.
 */
export function networksFromEnv(env: Env): NetworkConfig[] {
  const devRpc = str(env, 'VITE_DEVNET_RPC_URL') ?? 'http://127.0.0.1:8545';
  const devNode = str(env, 'VITE_DEVNET_NODE_URL') ?? 'http://127.0.0.1:8080';
  const list: NetworkConfig[] = [
    fromNode('devnet', 'Devnet', LOCAL_CHAIN_ID, devRpc, devNode),
    fromNode(
      'compose',
      'Docker compose',
      LOCAL_CHAIN_ID,
      str(env, 'VITE_COMPOSE_RPC_URL') ?? 'http://127.0.0.1:8545',
      str(env, 'VITE_COMPOSE_NODE_URL') ?? 'http://127.0.0.1:8080',
    ),
  ];
  const range = Number(str(env, 'VITE_BLOCK_RANGE'));
  if (Number.isSafeInteger(range) && range > 0) for (const n of list) n.blockRange = range;
  const testRpc = str(env, 'VITE_TESTNET_RPC_URL');
  const testNode = str(env, 'VITE_TESTNET_NODE_URL');
  if (testRpc && testNode) {
    const chainId = Number(str(env, 'VITE_TESTNET_CHAIN_ID') ?? '11155111');
    const net = fromNode('testnet', str(env, 'VITE_TESTNET_LABEL') ?? 'Sepolia', chainId, testRpc, testNode, {
      explorerUrl:
        str(env, 'VITE_TESTNET_EXPLORER_URL') ??
        (chainId === 11155111 ? 'https://sepolia.etherscan.io' : undefined),
    });
    // the file's content, put in by build/testnet-deployments.ts from VITE_TESTNET_DEPLOYMENTS_FILE
    const deployments = str(env, 'VITE_TESTNET_DEPLOYMENTS');
    if (deployments) net.deployments = deployments;
    const model = str(env, 'VITE_TESTNET_MODEL_URL');
    if (model) net.modelUrl = trimSlash(model);
    const testRange = Number(str(env, 'VITE_TESTNET_BLOCK_RANGE') ?? range);
    if (Number.isSafeInteger(testRange) && testRange > 0) net.blockRange = testRange;
    list.push(net);
  }
  return list;
}

export function defaultNetworkId(env: Env, networks: NetworkConfig[]): NetworkId {
  const wanted = str(env, 'VITE_DEFAULT_NETWORK');
  return networks.find((n) => n.id === wanted)?.id ?? networks[0]!.id;
}

export function hexChainId(chainId: number): string {
  return `0x${chainId.toString(16)}`;
}

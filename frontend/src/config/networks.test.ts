import { describe, expect, it } from 'vitest';
import { fetchDeployments } from './deployments.ts';
import { defaultNetworkId, networksFromEnv } from './networks.ts';

describe('networks', () => {
  it('has the devnet and compose on the standard ports by default', () => {
    const nets = networksFromEnv({});
    expect(nets.map((n) => n.id)).toEqual(['devnet', 'compose']);
    expect(nets[0]).toMatchObject({
      rpcUrl: 'http://127.0.0.1:8545',
      graphqlUrl: 'http://127.0.0.1:8080/graphql',
      deploymentsUrl: 'http://127.0.0.1:8080/deployments.json',
      burner: true,
    });
  });
  it('moves the devnet and adds a testnet from env', () => {
    const nets = networksFromEnv({
      VITE_DEVNET_RPC_URL: 'http://127.0.0.1:9545',
      VITE_DEVNET_NODE_URL: 'http://127.0.0.1:9080/',
      VITE_TESTNET_RPC_URL: 'https://rpc.example',
      VITE_TESTNET_NODE_URL: 'https://node.example',
      VITE_DEFAULT_NETWORK: 'testnet',
    });
    expect(nets[0]).toMatchObject({
      rpcUrl: 'http://127.0.0.1:9545',
      inspectUrl: 'http://127.0.0.1:9080/inspect',
    });
    expect(nets[2]).toMatchObject({
      id: 'testnet',
      chainId: 11155111,
      burner: false,
      modelUrl: 'https://node.example/models',
    });
    expect(nets[2]!.deployments).toBeUndefined();
    expect(defaultNetworkId({ VITE_DEFAULT_NETWORK: 'testnet' }, nets)).toBe('testnet');
    expect(defaultNetworkId({ VITE_DEFAULT_NETWORK: 'nope' }, nets)).toBe('devnet');
  });

  it("takes a testnet's contract addresses from the build, never from its node", async () => {
    const deployments = {
      chainId: 11155111,
      network: 'sepolia',
      contracts: {
        TrustAndTeach: '0x1111111111111111111111111111111111111111',
        InputBox: '0x59b22D57D4f067708AB0c00552767405926dc768',
      },
      trustAndTeachDeploymentBlock: 5,
      model: { name: 'stories15M', license: 'MIT', hash: '0x' + '12'.repeat(32), seqLen: 256 },
    };
    const env = {
      VITE_TESTNET_RPC_URL: 'https://rpc.example',
      VITE_TESTNET_NODE_URL: 'https://node.example',
    };
    const built = networksFromEnv({ ...env, VITE_TESTNET_DEPLOYMENTS: JSON.stringify(deployments) })[2]!;
    // a node that would answer with other contracts is never asked
    const fetched: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      fetched.push(String(url));
      return new Response(
        JSON.stringify({
          ...deployments,
          contracts: { ...deployments.contracts, TrustAndTeach: '0x' + '66'.repeat(20) },
        }),
      );
    }) as typeof fetch;
    try {
      const d = await fetchDeployments(built);
      expect(d.contracts.TrustAndTeach).toBe('0x1111111111111111111111111111111111111111');
      expect(fetched).toEqual([]);
      // built without them: a clear error, still nothing fetched
      await expect(fetchDeployments(networksFromEnv(env)[2]!)).rejects.toThrow(
        /built without the contract addresses/,
      );
      expect(fetched).toEqual([]);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

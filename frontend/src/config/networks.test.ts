import { describe, expect, it } from 'vitest';
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
    expect(defaultNetworkId({ VITE_DEFAULT_NETWORK: 'testnet' }, nets)).toBe('testnet');
    expect(defaultNetworkId({ VITE_DEFAULT_NETWORK: 'nope' }, nets)).toBe('devnet');
  });
});

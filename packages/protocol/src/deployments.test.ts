import { describe, expect, it } from 'vitest';
import { InvalidDeploymentsError } from './errors.ts';
import { deploymentsUrlFor, networkName, parseDeployments, requireDApp } from './deployments.ts';

const good = {
  chainId: 31337,
  network: 'devnet',
  rpcUrl: 'http://127.0.0.1:8545',
  contracts: {
    TrustAndTeach: '0xd07287fdc2ebd2c915d3b9a41e01504fb69f9e43',
    InputBox: '0x59b22D57D4f067708AB0c00552767405926dc768',
    CartesiDApp: '0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e',
  },
  trustAndTeachDeploymentBlock: 17,
  model: { name: 'stories15M', license: 'MIT', hash: '0x' + '00'.repeat(32), seqLen: 256 },
};

function problem(value: unknown): string {
  try {
    parseDeployments(value, 'f.json');
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidDeploymentsError);
    expect((err as InvalidDeploymentsError).code).toBe('invalid-deployments');
    return (err as Error).message;
  }
  throw new Error('expected the deployments to be refused');
}

describe('parseDeployments', () => {
  it('checksums addresses and keeps every documented field, adding none', () => {
    const d = parseDeployments(good, 'f.json');
    expect(d.contracts.TrustAndTeach).toBe('0xd07287FDc2EBd2C915D3B9a41E01504fB69f9e43');
    expect(d.trustAndTeachDeploymentBlock).toBe(17);
    expect(d.model.seqLen).toBe(256);
    expect(d.rpcUrl).toBe('http://127.0.0.1:8545');
    expect(Object.keys(d)).toEqual([
      'chainId',
      'network',
      'rpcUrl',
      'contracts',
      'trustAndTeachDeploymentBlock',
      'model',
    ]);
    expect(Object.keys(d.contracts)).toEqual(['TrustAndTeach', 'InputBox', 'CartesiDApp']);
  });

  it('keeps the devnet extras when they are well formed', () => {
    const d = parseDeployments({
      ...good,
      cartesi: { InputBox: good.contracts.InputBox },
      inputBoxDeploymentBlock: 3,
    });
    expect(d.cartesi).toEqual({ InputBox: good.contracts.InputBox });
    expect(d.inputBoxDeploymentBlock).toBe(3);
  });

  it('takes a testnet deployment written before the DApp exists, and says so when the DApp is needed', () => {
    const { CartesiDApp: _, ...rest } = good.contracts;
    const d = parseDeployments({ ...good, contracts: rest });
    expect(d.contracts.CartesiDApp).toBeUndefined();
    expect(() => requireDApp(d, 'f.json')).toThrow(/f\.json .*CartesiDApp is missing/);
    expect(requireDApp(parseDeployments(good))).toBe(good.contracts.CartesiDApp);
  });

  it('names the file and the field that is wrong', () => {
    expect(problem(null)).toMatch(/^f\.json is not a valid deployments file: not a JSON object/);
    expect(problem({ ...good, chainId: '1' })).toMatch(/chainId/);
    expect(problem({ ...good, contracts: { ...good.contracts, CartesiDApp: '0x12' } })).toMatch(
      /contracts\.CartesiDApp is not an address/,
    );
    expect(problem({ ...good, contracts: { InputBox: good.contracts.InputBox } })).toMatch(
      /contracts\.TrustAndTeach/,
    );
    expect(problem({ ...good, model: undefined })).toMatch(/model must be an object/);
    expect(problem({ ...good, model: { ...good.model, hash: '0x12' } })).toMatch(/model\.hash/);
    expect(problem({ ...good, rpcUrl: 5 })).toMatch(/rpcUrl/);
  });
});

describe('deploymentsUrlFor and networkName', () => {
  it('serves the file beside the GraphQL endpoint and names known chains', () => {
    expect(deploymentsUrlFor('http://127.0.0.1:8080/graphql')).toBe('http://127.0.0.1:8080/deployments.json');
    expect(networkName(11155111)).toBe('sepolia');
    expect(networkName(31337)).toBe('localhost');
    expect(networkName(10)).toBe('10');
  });
});

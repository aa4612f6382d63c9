import { describe, expect, it } from 'vitest';
import { deploymentsUrlFor, parseDeployments } from './deployments.ts';

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

describe('parseDeployments', () => {
  it('checksums addresses and keeps the rest', () => {
    const d = parseDeployments(good, 'f.json');
    expect(d.contracts.TrustAndTeach).toBe('0xd07287FDc2EBd2C915D3B9a41E01504fB69f9e43');
    expect(d.trustAndTeachDeploymentBlock).toBe(17);
    expect(d.model?.seqLen).toBe(256);
    expect(d.rpcUrl).toBe('http://127.0.0.1:8545');
  });
  it('names the file and what is missing', () => {
    expect(() => parseDeployments({ ...good, chainId: '1' }, 'f.json')).toThrow(/f\.json .*no chainId/);
    expect(() =>
      parseDeployments({ ...good, contracts: { ...good.contracts, CartesiDApp: '0x12' } }, 'x'),
    ).toThrow(/contracts\.CartesiDApp is not an address/);
    expect(() => parseDeployments({ chainId: 1 }, 'x')).toThrow(/no contracts/);
    expect(() => parseDeployments(null, 'x')).toThrow(/not a JSON object/);
  });
});

describe('deploymentsUrlFor', () => {
  it('serves the file beside the GraphQL endpoint', () => {
    expect(deploymentsUrlFor('http://127.0.0.1:8080/graphql')).toBe('http://127.0.0.1:8080/deployments.json');
  });
});

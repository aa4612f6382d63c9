import { describe, expect, it } from 'vitest';
import { verifyMessage, verifyTypedData } from 'ethers';
import { BurnerProvider, SELECT_ACCOUNT_METHOD, toTransactionRequest } from './burnerProvider.ts';
import { burnerWalletModule } from './burnerWallet.ts';

// The well-known Hardhat test accounts: the burner must derive exactly these so the devnet has funded them.
const HARDHAT_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const HARDHAT_1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

const options = { chainId: 31337, rpcUrl: 'http://127.0.0.1:1' };

describe('burner provider', () => {
  it('answers account and chain requests without a node', async () => {
    const p = new BurnerProvider(options);
    expect(await p.request({ method: 'eth_requestAccounts' })).toEqual([HARDHAT_0.toLowerCase()]);
    expect(await p.request({ method: 'eth_chainId' })).toBe('0x7a69');
  });

  it('switches accounts and tells listeners', async () => {
    const p = new BurnerProvider(options);
    const seen: unknown[] = [];
    p.on('accountsChanged', (a) => seen.push(a));
    await p.request({ method: SELECT_ACCOUNT_METHOD, params: [1] });
    expect(seen).toEqual([[HARDHAT_1.toLowerCase()]]);
    expect(await p.request({ method: 'eth_accounts' })).toEqual([HARDHAT_1.toLowerCase()]);
  });

  it('signs messages and typed data with the active account', async () => {
    const p = new BurnerProvider(options);
    const sig = (await p.request({ method: 'personal_sign', params: ['0x68656c6c6f', HARDHAT_0] })) as string;
    expect(verifyMessage('hello', sig)).toBe(HARDHAT_0);
    const typed = {
      domain: { name: 'tt', chainId: 31337 },
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'chainId', type: 'uint256' },
        ],
        Vote: [{ name: 'id', type: 'uint256' }],
      },
      primaryType: 'Vote',
      message: { id: 7 },
    };
    const sig2 = (await p.request({
      method: 'eth_signTypedData_v4',
      params: [HARDHAT_0, JSON.stringify(typed)],
    })) as string;
    expect(verifyTypedData(typed.domain, { Vote: typed.types.Vote }, typed.message, sig2)).toBe(HARDHAT_0);
  });

  it('refuses other chains and other senders', async () => {
    const p = new BurnerProvider(options);
    await expect(
      p.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0xaa36a7' }] }),
    ).rejects.toMatchObject({ code: 4902 });
    expect(
      await p.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x7a69' }] }),
    ).toBeNull();
    await expect(p.request({ method: 'personal_sign', params: ['0x00', HARDHAT_1] })).rejects.toMatchObject({
      code: 4100,
    });
  });

  it('converts JSON-RPC transactions', () => {
    expect(toTransactionRequest({ to: '0x01', data: '0xab', value: '0x10', gas: '0x5208' })).toMatchObject({
      to: '0x01',
      data: '0xab',
      value: 16n,
      gasLimit: 21000n,
    });
  });
});

describe('burner wallet module', () => {
  it('is offered only on the local chain', () => {
    const device = { device: { type: null, os: null, browser: null } } as const;
    expect(burnerWalletModule(options)(device)).not.toBeNull();
    expect(burnerWalletModule({ ...options, chainId: 11155111 })(device)).toBeNull();
  });
});

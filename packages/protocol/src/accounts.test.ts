import { describe, expect, it } from 'vitest';
import { DEVNET_MNEMONIC, devnetAccount } from './accounts.ts';

describe('devnetAccount', () => {
  it('derives the well-known Hardhat test accounts from the public mnemonic', () => {
    expect(DEVNET_MNEMONIC.split(' ')).toHaveLength(12);
    expect(devnetAccount(0).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(devnetAccount(0).privateKey).toBe(
      '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
    );
    expect(devnetAccount(1).address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    expect(devnetAccount(19).address).toBe('0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199');
  });
  it('refuses a negative or fractional index', () => {
    expect(() => devnetAccount(-1)).toThrow(/0 or more/);
    expect(() => devnetAccount(1.5)).toThrow(/0 or more/);
  });
});

import { describe, expect, it } from 'vitest';
import { devnetAccount } from './accounts.ts';

describe('devnetAccount', () => {
  it('derives the well-known Hardhat test accounts', () => {
    expect(devnetAccount(0).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(devnetAccount(1).address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  });
  it('refuses a negative index', () => {
    expect(() => devnetAccount(-1)).toThrow(/0 or more/);
  });
});

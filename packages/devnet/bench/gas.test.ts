// The gas benchmark (`pnpm bench:gas`) end to end: a devnet with the bench backend, every figure from a real receipt,
// the voucher path checked to have posted the responses (measureGas throws otherwise), and issue 3's goals met.
import { describe, expect, it } from 'vitest';
import { GOALS, measureGas, table, type GasKey } from './gas.js';

describe('bench:gas', () => {
  it('measures every operation on the devnet, the posts through executeVoucher, within the goals', async () => {
    const r = await measureGas();
    for (const key of Object.keys(GOALS) as GasKey[]) {
      expect(Number.isInteger(r[key]) && r[key] > 21_000, key).toBe(true);
      const goal = GOALS[key];
      if (goal !== undefined) expect(r[key], key).toBeLessThanOrEqual(goal);
    }
    // The voucher path pays the contract's own cost plus executeVoucher's proof check.
    expect(r.post1024).toBeGreaterThan(r.post1024Direct);
    expect(r.post2048).toBeGreaterThan(r.post2048Direct);
    expect(r.post2048).toBeGreaterThan(r.post1024);
    expect(r.sendPromptLater).toBeLessThan(r.sendPromptFirst);
    expect(r.rankUpdate).toBeLessThan(r.rankFirst);
    expect(table(r)).not.toContain('OVER');
  }, 60_000);
});

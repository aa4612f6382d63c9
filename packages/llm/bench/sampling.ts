// The sampling of the in-machine benchmarks: bench:vm (packages/machine) generates with it inside the Cartesi
// machine, and bench:riscv counts the same generation under qemu-user, so their figures describe the same work.
// Temperature 1.2 and top-p 0.95 on a random model make a nearly flat distribution over the vocabulary: top-p's
// worst case. Seed 7 draws no BOS in the first 48 positions of the stories15M-shaped random model.
export const BENCH_SAMPLING = { temperature: 1.2, topp: 0.95, seed: 7n } as const;

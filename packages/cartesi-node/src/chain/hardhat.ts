// An in-process Hardhat Network (EDR) with the standard test mnemonic and chain id 31337. We build
// it from Hardhat's own config resolution so accounts, balances and hardfork are exactly the
// defaults of `hardhat node`, without needing a hardhat.config file in the user's project.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

export const CHAIN_ID = 31337;

export async function createHardhatProvider(opts: { initialDate: Date }): Promise<Eip1193Provider> {
  const { resolveConfig } = require('hardhat/internal/core/config/config-resolution');
  const { createProvider } = require('hardhat/internal/core/providers/construction');
  // resolveConfig only needs an existing file to anchor its project paths; nothing is read from it.
  const config = resolveConfig(fileURLToPath(import.meta.url), {
    networks: {
      hardhat: {
        chainId: CHAIN_ID,
        // the Cartesi v1 contracts and TrustAndTeach target cancun; osaka's 2^24 per-transaction gas cap would also
        // stop inputs far below the InputBox's own 2 MiB limit
        hardfork: 'cancun',
        // room for an input near the InputBox limit (2 MiB of calldata plus its event data is about 55M gas)
        blockGasLimit: 100_000_000,
        // a fixed genesis date makes the chain reproducible when the journal is replayed
        initialDate: opts.initialDate.toISOString(),
        mining: { auto: true, interval: 0 },
        loggingEnabled: false,
      },
    },
  });
  return (await createProvider(config, 'hardhat')) as Eip1193Provider;
}

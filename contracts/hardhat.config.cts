// CommonJS (.cts): Hardhat 2 loads its config with require(), while the rest of this package is ESM.
import { subtask, type HardhatUserConfig } from 'hardhat/config';
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from 'hardhat/builtin-tasks/task-names';
import '@nomicfoundation/hardhat-ethers';
import '@nomicfoundation/hardhat-chai-matchers';
import '@typechain/hardhat';

// The compiler download site is unreachable here, so Hardhat compiles with the solcjs build shipped by the
// npm `solc` package. Its version is the one the sources are pinned to; any other version is an error rather
// than a silent download attempt.
const solcjs = require('solc') as { version(): string };
const SOLC_LONG_VERSION = solcjs.version();
const SOLC_VERSION = SOLC_LONG_VERSION.split('+')[0]!;

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(
      `hardhat.config.ts: solc ${args.solcVersion} was requested but only the npm solc ${SOLC_VERSION} is installed; ` +
        `change the "solc" devDependency and solidity.version together`,
    );
  }
  return {
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: SOLC_LONG_VERSION,
  };
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // These settings are part of the bytecode and so of TrustAndTeach's CREATE2 address: changing them moves it.
      optimizer: { enabled: true, runs: 200 },
      viaIR: true,
      evmVersion: 'cancun',
      // No metadata hash in the bytecode, so editing a comment does not move the CREATE2 address; only code and
      // these settings do.
      metadata: { bytecodeHash: 'none', appendCBOR: false },
    },
  },
  networks: {
    hardhat: { chainId: 31337 },
  },
  typechain: {
    outDir: 'typechain-types',
    target: 'ethers-v6',
    // The package is ESM: relative imports in the generated code need their .js extension.
    node16Modules: true,
  },
  mocha: {
    timeout: 120_000,
  },
};

export default config;

// A fresh chain state with the real Cartesi v1 InputBox at its canonical address, TrustAndTeach deployed through the
// singleton factory and bound to an impersonated DApp account, shared by the tests and the gas benchmark.
// Signers come from this package's own (ESM) ethers over Hardhat's in-process chain, so they have the same types as
// the typechain factories; hardhat-ethers' signers are typed against ethers' CommonJS build.
import { createRequire } from 'node:module';
import hre from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { BrowserProvider, JsonRpcSigner, sha256, toUtf8Bytes } from 'ethers';
import {
  InputBox__factory,
  deterministicDeployData,
  ensureSingletonFactory,
  predictDeterministicAddress,
  SINGLETON_FACTORY_ADDRESS,
  type InputBox,
} from '@tt/cartesi-v1';
import {
  CANONICAL_INPUT_BOX_ADDRESS,
  bindDApp,
  deployTrustAndTeach,
  type TrustAndTeachArgs,
} from '../src/deploy.ts';
import { TrustAndTeach__factory, type TrustAndTeach } from '../src/index.ts';

// The bytecode Cartesi deployed on every chain (hardhat-deploy deterministic deployment); replaying it through the
// factory yields the canonical address, which checks both the factory and our reading of it.
const inputBoxDeployment = createRequire(import.meta.url)(
  '@cartesi/rollups/deployments/sepolia/InputBox.json',
) as {
  bytecode: string;
};

/** The in-process Hardhat chain through ethers; no caching, so a snapshot revert is seen at once. */
export const provider = new BrowserProvider(hre.network.provider, 31337, {
  staticNetwork: true,
  cacheTimeout: -1,
  pollingInterval: 20,
});
export type Signer = JsonRpcSigner;

export const MODEL_HASH = sha256(toUtf8Bytes('test checkpoint bytes followed by test tokenizer bytes'));
export const SEQ_LEN = 256;

export interface Fixture {
  owner: Signer;
  stranger: Signer;
  rankers: Signer[];
  /** The impersonated CartesiDApp account, funded, bound to TrustAndTeach. */
  dapp: Signer;
  inputBox: InputBox;
  tt: TrustAndTeach;
  args: TrustAndTeachArgs;
}

export async function deployInputBox(deployer: Signer): Promise<InputBox> {
  const predicted = predictDeterministicAddress(inputBoxDeployment.bytecode);
  if ((await provider.getCode(predicted)) === '0x') {
    await (
      await deployer.sendTransaction({
        to: SINGLETON_FACTORY_ADDRESS,
        data: deterministicDeployData(inputBoxDeployment.bytecode),
      })
    ).wait();
  }
  if (predicted !== CANONICAL_INPUT_BOX_ADDRESS) {
    throw new Error(
      `InputBox replayed through the factory landed at ${predicted}, not ${CANONICAL_INPUT_BOX_ADDRESS}`,
    );
  }
  return InputBox__factory.connect(predicted, deployer);
}

/** An account the DApp's vouchers would come from, usable as a signer (Hardhat impersonation). */
export async function impersonate(address: string): Promise<Signer> {
  await provider.send('hardhat_impersonateAccount', [address]);
  await provider.send('hardhat_setBalance', [address, '0x56BC75E2D63100000']); // 100 ETH
  // Not provider.getSigner(address): for an account outside eth_accounts it asks a wallet (eth_requestAccounts).
  return new JsonRpcSigner(provider, address);
}

/** The first `n` of Hardhat's funded test accounts. */
export async function signers(n = 8): Promise<Signer[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => provider.getSigner(i)));
}

/** The CLI 1.5 devnet's CartesiDApp address (docs/interfaces.md); any address would do for these tests. */
export const DAPP_ADDRESS = '0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e';

export async function deployUnbound(): Promise<Omit<Fixture, 'dapp'>> {
  const [owner, stranger, ...rankers] = await signers();
  if (!owner || !stranger) throw new Error('the Hardhat network has too few accounts');
  await ensureSingletonFactory(provider);
  const inputBox = await deployInputBox(owner);
  const args: TrustAndTeachArgs = {
    owner: owner.address,
    inputBox: await inputBox.getAddress(),
    modelName: 'stories15M',
    modelLicense: 'MIT',
    modelHash: MODEL_HASH,
    seqLen: SEQ_LEN,
  };
  const { address } = await deployTrustAndTeach(owner, args);
  return { owner, stranger, rankers, inputBox, tt: TrustAndTeach__factory.connect(address, owner), args };
}

/** Use through loadFixture: it starts from deployUnbound's snapshot, never from what an earlier test left behind. */
export async function deployBound(): Promise<Fixture> {
  const base = await loadFixture(deployUnbound);
  await bindDApp(base.owner, await base.tt.getAddress(), DAPP_ADDRESS);
  return { ...base, dapp: await impersonate(DAPP_ADDRESS) };
}

/** Posts response `index` of conversation `id` from the DApp with the parameters the contract expects. */
export async function postResponse(f: Fixture, id: bigint, index: number, text: Uint8Array | string) {
  const c = await f.tt.getConversation(id);
  const seed = await f.tt.seedFor(id, index);
  return f.tt
    .connect(f.dapp)
    .postResponse(id, index, text, c.modelHash, seed, c.steps, c.temperatureMilli, c.topPMilli);
}

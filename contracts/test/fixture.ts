// A fresh chain state with the real Cartesi v1 InputBox at its canonical address, TrustAndTeach deployed through the
// singleton factory and bound to an impersonated DApp account, shared by the tests and the gas benchmark.
import hre from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { concat, getCreate2Address, keccak256, sha256, toUtf8Bytes } from 'ethers';
import {
  CANONICAL_INPUT_BOX_ADDRESS,
  DEPLOY_SALT,
  SINGLETON_FACTORY_ADDRESS,
  bindDApp,
  deployTrustAndTeach,
  ensureSingletonFactory,
  type TrustAndTeachArgs,
} from '../src/deploy';
import {
  IInputBox__factory,
  TrustAndTeach__factory,
  type IInputBox,
  type TrustAndTeach,
} from '../typechain-types';

// The bytecode Cartesi deployed on every chain (hardhat-deploy deterministic deployment); replaying it through the
// factory yields the canonical address, which checks both the factory and our reading of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const inputBoxDeployment = require('@cartesi/rollups/deployments/sepolia/InputBox.json') as {
  bytecode: string;
};

export const MODEL_HASH = sha256(toUtf8Bytes('test checkpoint bytes followed by test tokenizer bytes'));
export const SEQ_LEN = 256;

export interface Fixture {
  owner: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  rankers: HardhatEthersSigner[];
  /** The impersonated CartesiDApp account, funded, bound to TrustAndTeach. */
  dapp: HardhatEthersSigner;
  inputBox: IInputBox;
  tt: TrustAndTeach;
  args: TrustAndTeachArgs;
}

export async function deployInputBox(deployer: HardhatEthersSigner): Promise<IInputBox> {
  const predicted = getCreate2Address(
    SINGLETON_FACTORY_ADDRESS,
    DEPLOY_SALT,
    keccak256(inputBoxDeployment.bytecode),
  );
  if ((await hre.ethers.provider.getCode(predicted)) === '0x') {
    await (
      await deployer.sendTransaction({
        to: SINGLETON_FACTORY_ADDRESS,
        data: concat([DEPLOY_SALT, inputBoxDeployment.bytecode]),
      })
    ).wait();
  }
  if (predicted !== CANONICAL_INPUT_BOX_ADDRESS) {
    throw new Error(
      `InputBox replayed through the factory landed at ${predicted}, not ${CANONICAL_INPUT_BOX_ADDRESS}`,
    );
  }
  return IInputBox__factory.connect(predicted, deployer);
}

/** An account the DApp's vouchers would come from, usable as a signer (Hardhat impersonation). */
export async function impersonate(address: string): Promise<HardhatEthersSigner> {
  await hre.network.provider.send('hardhat_impersonateAccount', [address]);
  await hre.network.provider.send('hardhat_setBalance', [address, '0x56BC75E2D63100000']); // 100 ETH
  return hre.ethers.getSigner(address);
}

/** The CLI 1.5 devnet's CartesiDApp address (docs/interfaces.md); any address would do for these tests. */
export const DAPP_ADDRESS = '0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e';

export async function deployUnbound(): Promise<Omit<Fixture, 'dapp'>> {
  const [owner, stranger, ...rankers] = await hre.ethers.getSigners();
  if (!owner || !stranger) throw new Error('the Hardhat network has too few accounts');
  await ensureSingletonFactory(
    hre.network.provider as unknown as { send(m: string, p: unknown[]): Promise<unknown> },
  );
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
    .postResponse(id, index, text, MODEL_HASH, seed, c.steps, c.temperatureMilli, c.topPMilli);
}

// Deterministic deployment of TrustAndTeach through the Safe singleton factory (the same CREATE2 factory and salt the
// Cartesi v1 contracts use, from @tt/cartesi-v1), so its address is known before deployment and can be baked into the
// backend's image.
import { AbiCoder, concat, getAddress, ZeroAddress, type Provider, type Signer } from 'ethers';
import {
  CARTESI_V1_ADDRESSES,
  SINGLETON_FACTORY_ADDRESS,
  deterministicDeployData,
  hasCode,
  predictDeterministicAddress,
} from '@tt/cartesi-v1';
import { TrustAndTeach__factory } from '../typechain-types/factories/contracts/TrustAndTeach__factory.ts';

/** The canonical Cartesi v1 InputBox (same address on mainnet, testnets and the CLI devnet). */
export const CANONICAL_INPUT_BOX_ADDRESS = CARTESI_V1_ADDRESSES.InputBox;

/** Constructor arguments of TrustAndTeach; every one of them is part of the deployed address. */
export interface TrustAndTeachArgs {
  /** The account allowed to bind the DApp (once). */
  owner: string;
  /** The Cartesi v1 InputBox. */
  inputBox: string;
  modelName: string;
  modelLicense: string;
  /** sha256(checkpoint ‖ tokenizer), 0x-prefixed 32 bytes. */
  modelHash: string;
  /** The model's context length (largest `steps`). */
  seqLen: number;
}

export class SingletonFactoryMissingError extends Error {
  constructor(chainHint: string) {
    super(
      `no singleton factory at ${SINGLETON_FACTORY_ADDRESS} on ${chainHint}: on a local chain call ensureSingletonFactory(provider) first; ` +
        `on a public chain it is deployed by its presigned transaction (see @safe-global/safe-singleton-factory)`,
    );
    this.name = 'SingletonFactoryMissingError';
  }
}

export class DeploymentFailedError extends Error {
  constructor(address: string, txHash: string) {
    super(
      `the singleton factory transaction ${txHash} succeeded but left no code at ${address}: the initcode reverted`,
    );
    this.name = 'DeploymentFailedError';
  }
}

export class DAppAlreadyBoundError extends Error {
  constructor(
    readonly trustAndTeach: string,
    readonly boundDApp: string,
    readonly requestedDApp: string,
  ) {
    super(
      `TrustAndTeach ${trustAndTeach} is already bound to DApp ${boundDApp}; binding is one-shot, so ${requestedDApp} ` +
        `needs a new TrustAndTeach (change a constructor argument, e.g. the owner, to get a new address)`,
    );
    this.name = 'DAppAlreadyBoundError';
  }
}

/** The creation code (bytecode ‖ ABI-encoded constructor arguments) the factory receives. */
export function trustAndTeachInitCode(args: TrustAndTeachArgs): string {
  const encodedArgs = AbiCoder.defaultAbiCoder().encode(
    ['address', 'address', 'string', 'string', 'bytes32', 'uint32'],
    [args.owner, args.inputBox, args.modelName, args.modelLicense, args.modelHash, args.seqLen],
  );
  return concat([TrustAndTeach__factory.bytecode, encodedArgs]);
}

/** The address TrustAndTeach has (or will have) on any chain for these arguments and this compiled bytecode. */
export function predictTrustAndTeachAddress(args: TrustAndTeachArgs): string {
  return predictDeterministicAddress(trustAndTeachInitCode(args));
}

export interface DeployResult {
  address: string;
  /** false when code was already at the predicted address and nothing was sent. */
  deployed: boolean;
  /** The deployment transaction and its block, when this call deployed. */
  txHash?: string;
  blockNumber?: number;
}

function requireProvider(signer: Signer): Provider {
  if (!signer.provider)
    throw new Error('the signer has no provider: connect it to a JSON-RPC provider first');
  return signer.provider;
}

/** Deploys TrustAndTeach through the singleton factory; idempotent: with code already there it only returns it. */
export async function deployTrustAndTeach(signer: Signer, args: TrustAndTeachArgs): Promise<DeployResult> {
  const provider = requireProvider(signer);
  const address = predictTrustAndTeachAddress(args);
  if (await hasCode(provider, address)) return { address, deployed: false };
  if (!(await hasCode(provider, SINGLETON_FACTORY_ADDRESS))) {
    throw new SingletonFactoryMissingError(`chain ${(await provider.getNetwork()).chainId}`);
  }
  const tx = await signer.sendTransaction({
    to: SINGLETON_FACTORY_ADDRESS,
    data: deterministicDeployData(trustAndTeachInitCode(args)),
  });
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`deployment transaction ${tx.hash} reverted`);
  // Asked at the receipt's block, not "latest": ethers answers a repeat of the identical earlier query from its cache.
  if ((await provider.getCode(address, receipt.blockNumber)) === '0x')
    throw new DeploymentFailedError(address, tx.hash);
  return { address, deployed: true, txHash: tx.hash, blockNumber: receipt.blockNumber };
}

export interface BindResult {
  /** false when TrustAndTeach was already bound to this DApp and nothing was sent. */
  bound: boolean;
  txHash?: string;
}

/** Binds the DApp (owner only, one-shot); a no-op if it is already bound to the same DApp. */
export async function bindDApp(signer: Signer, trustAndTeach: string, dapp: string): Promise<BindResult> {
  const contract = TrustAndTeach__factory.connect(trustAndTeach, signer);
  const current = await contract.dapp();
  if (current !== ZeroAddress) {
    if (getAddress(current) === getAddress(dapp)) return { bound: false };
    throw new DAppAlreadyBoundError(trustAndTeach, current, dapp);
  }
  const tx = await contract.bindDApp(dapp);
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`bindDApp transaction ${tx.hash} reverted`);
  return { bound: true, txHash: tx.hash };
}

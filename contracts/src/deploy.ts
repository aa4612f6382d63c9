// Deterministic deployment of TrustAndTeach through the Safe singleton factory (the same CREATE2 factory and salt the
// Cartesi v1 contracts use), so its address is known before deployment and can be baked into the backend's image.
import {
  AbiCoder,
  getAddress,
  getCreate2Address,
  keccak256,
  concat,
  ZeroHash,
  type Provider,
  type Signer,
} from 'ethers';
import { TrustAndTeach__factory } from '../typechain-types/factories/contracts/TrustAndTeach__factory';

/** The Safe singleton factory: calldata = salt(32) ‖ initcode; it CREATE2-deploys and returns the 20-byte address. */
export const SINGLETON_FACTORY_ADDRESS = '0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7';

/** Runtime code of the singleton factory (npm @safe-global/safe-singleton-factory 1.0.28), for chains that lack it. */
export const SINGLETON_FACTORY_RUNTIME_CODE =
  '0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3';

/** Salt of every deterministic deployment here, as in the Cartesi deployments. */
export const DEPLOY_SALT = ZeroHash;

/** The canonical Cartesi v1 InputBox (same address on mainnet, testnets and the CLI devnet). */
export const CANONICAL_INPUT_BOX_ADDRESS = '0x59b22D57D4f067708AB0c00552767405926dc768';

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

export class CannotSetCodeError extends Error {
  constructor(cause: unknown) {
    super(
      `cannot install the singleton factory: the node supports neither hardhat_setCode nor anvil_setCode ` +
        `(${cause instanceof Error ? cause.message : String(cause)})`,
    );
    this.name = 'CannotSetCodeError';
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
  return getCreate2Address(SINGLETON_FACTORY_ADDRESS, DEPLOY_SALT, keccak256(trustAndTeachInitCode(args)));
}

export interface DeployResult {
  address: string;
  /** false when code was already at the predicted address and nothing was sent. */
  deployed: boolean;
  /** The deployment transaction and its block, when this call deployed. */
  txHash?: string;
  blockNumber?: number;
}

async function hasCode(provider: Provider, address: string): Promise<boolean> {
  return (await provider.getCode(address)) !== '0x';
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
    data: concat([DEPLOY_SALT, trustAndTeachInitCode(args)]),
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
  if (current !== '0x0000000000000000000000000000000000000000') {
    if (getAddress(current) === getAddress(dapp)) return { bound: false };
    throw new DAppAlreadyBoundError(trustAndTeach, current, dapp);
  }
  const tx = await contract.bindDApp(dapp);
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`bindDApp transaction ${tx.hash} reverted`);
  return { bound: true, txHash: tx.hash };
}

/** Anything with a raw JSON-RPC `send`: ethers' JsonRpcProvider, Hardhat's provider, an EIP-1193 wrapper. */
export interface RpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/**
 * Installs the singleton factory's runtime code on a local chain (Hardhat or Anvil) that lacks it. Returns true if it
 * installed it, false if it was already there. Public chains have the factory; there this call changes nothing.
 */
export async function ensureSingletonFactory(provider: RpcSender): Promise<boolean> {
  const code = (await provider.send('eth_getCode', [SINGLETON_FACTORY_ADDRESS, 'latest'])) as string;
  if (code !== '0x') return false;
  try {
    await provider.send('hardhat_setCode', [SINGLETON_FACTORY_ADDRESS, SINGLETON_FACTORY_RUNTIME_CODE]);
  } catch (hardhatError) {
    try {
      await provider.send('anvil_setCode', [SINGLETON_FACTORY_ADDRESS, SINGLETON_FACTORY_RUNTIME_CODE]);
    } catch {
      throw new CannotSetCodeError(hardhatError);
    }
  }
  return true;
}

/**
 * The first block at which `address` has code, by binary search over eth_getCode at past blocks. Returns undefined
 * when the node cannot answer for old blocks (a pruned, non-archive node) or there is no code now.
 */
export async function findDeploymentBlock(provider: Provider, address: string): Promise<number | undefined> {
  try {
    let high = await provider.getBlockNumber();
    if ((await provider.getCode(address, high)) === '0x') return undefined;
    let low = 0;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if ((await provider.getCode(address, mid)) === '0x') low = mid + 1;
      else high = mid;
    }
    return low;
  } catch {
    return undefined;
  }
}

// Deterministic deployment, the way every Cartesi v1 contract was deployed (hardhat-deploy's deterministic mode): the
// Safe singleton factory CREATE2-deploys `initcode` with a salt, so an address depends only on the code and its
// constructor arguments and is known before anything is sent. TrustAndTeach is deployed the same way.
import { concat, getCreate2Address, keccak256, ZeroHash, type Provider } from 'ethers';

/** The Safe singleton factory: calldata = salt(32) ‖ initcode; it CREATE2-deploys and returns the 20-byte address. */
export const SINGLETON_FACTORY_ADDRESS = '0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7';

/** Runtime code of the singleton factory (npm @safe-global/safe-singleton-factory 1.0.28), for chains that lack it. */
export const SINGLETON_FACTORY_RUNTIME_CODE =
  '0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3';

/** Salt of every deterministic deployment here, as in the Cartesi deployments. */
export const DEPLOY_SALT = ZeroHash;

/** The address `initCode` gets (or has) through the singleton factory, on any chain. */
export function predictDeterministicAddress(initCode: string): string {
  return getCreate2Address(SINGLETON_FACTORY_ADDRESS, DEPLOY_SALT, keccak256(initCode));
}

/** The calldata that asks the singleton factory to deploy `initCode`. */
export function deterministicDeployData(initCode: string): string {
  return concat([DEPLOY_SALT, initCode]);
}

export async function hasCode(provider: Provider, address: string, blockTag?: number): Promise<boolean> {
  return (await provider.getCode(address, blockTag)) !== '0x';
}

/**
 * The first block at which `address` has code, by binary search over eth_getCode at past blocks. Undefined when there
 * is no code now, or the node cannot answer for old blocks (a pruned, non-archive node).
 */
export async function findDeploymentBlock(provider: Provider, address: string): Promise<number | undefined> {
  try {
    let high = await provider.getBlockNumber();
    if (!(await hasCode(provider, address, high))) return undefined;
    let low = 0;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (await hasCode(provider, address, mid)) high = mid;
      else low = mid + 1;
    }
    return low;
  } catch {
    return undefined;
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
 * What the Cartesi CLI 1.5 devnet creates: SelfHostedApplicationFactory.deployContracts(account 0, account 0, 0x0, 0x0)
 * (docs/interfaces.md, "Cartesi v1 addresses on the devnet"). The embedded devnet checks that it lands here too.
 */
export const CLI_DEVNET_APPLICATION = {
  application: '0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e',
  authority: '0x58c93F83fb3304730C95aad2E360cdb88b782010',
  history: '0x325272217ae6815b494bF38cED004c5Eb8a7CdA7',
} as const;

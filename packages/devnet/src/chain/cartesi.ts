// Deploys the Cartesi Rollups v1 contracts at their canonical addresses, the way hardhat-deploy
// does for mainnet, testnets and the Cartesi CLI devnet: the published deployment bytecode (already
// linked to its libraries) plus ABI-encoded constructor arguments, CREATE2 through the Safe
// singleton factory with salt 0. Then the application is created the way the CLI 1.5 devnet does.
import { createRequire } from 'node:module';
import {
  AbiCoder,
  Contract,
  getCreate2Address,
  keccak256,
  ZeroHash,
  type Signer,
  type Provider,
  type InterfaceAbi,
} from 'ethers';

const require = createRequire(import.meta.url);

export const SAFE_SINGLETON_FACTORY = '0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7';
/** Runtime code of the Safe singleton factory (@safe-global/safe-singleton-factory 1.0.28, chain 31337). */
export const SAFE_SINGLETON_FACTORY_CODE =
  '0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3';

interface DeploymentJson {
  address: string;
  abi: InterfaceAbi & { type: string; inputs?: { type: string }[] }[];
  bytecode: string;
  args?: unknown[];
}

/** In dependency order: libraries first, then InputBox and portals, then the factories. */
const CANONICAL = [
  ['util', 'CartesiMathV2'],
  ['util', 'MerkleV2'],
  ['util', 'Bitmask'],
  ['rollups', 'InputBox'],
  ['rollups', 'EtherPortal'],
  ['rollups', 'ERC20Portal'],
  ['rollups', 'ERC721Portal'],
  ['rollups', 'ERC1155SinglePortal'],
  ['rollups', 'ERC1155BatchPortal'],
  ['rollups', 'DAppAddressRelay'],
  ['rollups', 'AuthorityFactory'],
  ['rollups', 'HistoryFactory'],
  ['rollups', 'AuthorityHistoryPairFactory'],
  ['rollups', 'CartesiDAppFactory'],
  ['rollups', 'SelfHostedApplicationFactory'],
] as const;

export type CartesiContractName = (typeof CANONICAL)[number][1];

function deploymentJson(pkg: 'util' | 'rollups', name: string): DeploymentJson {
  return require(`@cartesi/${pkg}/deployments/mainnet/${name}.json`) as DeploymentJson;
}

/** ABI of a v1 contract from the @cartesi/rollups npm package, so no ABI is written twice. */
export function rollupsAbi(path: string): InterfaceAbi {
  return (require(`@cartesi/rollups/export/artifacts/contracts/${path}`) as { abi: InterfaceAbi }).abi;
}

export const abis = {
  get InputBox() {
    return deploymentJson('rollups', 'InputBox').abi;
  },
  get SelfHostedApplicationFactory() {
    return deploymentJson('rollups', 'SelfHostedApplicationFactory').abi;
  },
  get CartesiDApp() {
    return rollupsAbi('dapp/CartesiDApp.sol/CartesiDApp.json');
  },
  get Authority() {
    return rollupsAbi('consensus/authority/Authority.sol/Authority.json');
  },
  get History() {
    return rollupsAbi('history/History.sol/History.json');
  },
};

/** The addresses every v1 devnet (Cartesi CLI 1.5) has; checked against CREATE2 at deploy time. */
export const CANONICAL_ADDRESSES = Object.fromEntries(
  CANONICAL.map(([pkg, name]) => [name, deploymentJson(pkg, name).address]),
) as Record<CartesiContractName, string>;

export const CLI_DEVNET_APPLICATION = {
  application: '0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e',
  authority: '0x58c93F83fb3304730C95aad2E360cdb88b782010',
  history: '0x325272217ae6815b494bF38cED004c5Eb8a7CdA7',
} as const;

export interface CartesiDeployment {
  contracts: Record<CartesiContractName, string>;
  application: string;
  authority: string;
  history: string;
  /** Block in which the InputBox was deployed: where the node starts reading inputs. */
  inputBoxDeploymentBlock: number;
}

async function hasCode(provider: Provider, address: string) {
  return (await provider.getCode(address)) !== '0x';
}

/**
 * Idempotent: contracts already on the chain (e.g. after the journal was replayed) are left alone.
 * `setCode` installs the singleton factory (hardhat_setCode); the deployer signs everything else.
 */
export async function deployCartesi(
  deployer: Signer,
  setCode: (address: string, code: string) => Promise<void>,
): Promise<CartesiDeployment> {
  const provider = deployer.provider;
  if (!provider) throw new Error('the deployer signer has no provider');
  if (!(await hasCode(provider, SAFE_SINGLETON_FACTORY)))
    await setCode(SAFE_SINGLETON_FACTORY, SAFE_SINGLETON_FACTORY_CODE);
  const abi = AbiCoder.defaultAbiCoder();
  let inputBoxDeploymentBlock = 0;
  for (const [pkg, name] of CANONICAL) {
    const d = deploymentJson(pkg, name);
    const ctorTypes = (d.abi.find((x) => x.type === 'constructor')?.inputs ?? []).map((i) => i.type);
    const initCode = d.bytecode + abi.encode(ctorTypes, d.args ?? []).slice(2);
    const predicted = getCreate2Address(SAFE_SINGLETON_FACTORY, ZeroHash, keccak256(initCode));
    if (predicted.toLowerCase() !== d.address.toLowerCase()) {
      throw new Error(
        `${name} would land at ${predicted}, not its canonical ${d.address}: the @cartesi package version is wrong`,
      );
    }
    if (await hasCode(provider, predicted)) {
      if (name === 'InputBox') inputBoxDeploymentBlock = await findDeploymentBlock(provider, predicted);
      continue;
    }
    const tx = await deployer.sendTransaction({
      to: SAFE_SINGLETON_FACTORY,
      data: ZeroHash + initCode.slice(2),
    });
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1 || !(await hasCode(provider, predicted)))
      throw new Error(`deploying ${name} through the singleton factory failed`);
    if (name === 'InputBox') inputBoxDeploymentBlock = receipt.blockNumber;
  }

  const owner = await deployer.getAddress();
  const factory = new Contract(
    CANONICAL_ADDRESSES.SelfHostedApplicationFactory,
    abis.SelfHostedApplicationFactory,
    deployer,
  );
  const [application, authority, history] = (await factory
    .getFunction('calculateAddresses')
    .staticCall(owner, owner, ZeroHash, ZeroHash)) as [string, string, string];
  if (!(await hasCode(provider, application))) {
    const tx = await factory.getFunction('deployContracts')(owner, owner, ZeroHash, ZeroHash);
    await tx.wait();
  }
  return { contracts: { ...CANONICAL_ADDRESSES }, application, authority, history, inputBoxDeploymentBlock };
}

/** Binary search for the first block where `address` has code. */
async function findDeploymentBlock(provider: Provider, address: string): Promise<number> {
  let lo = 0;
  let hi = await provider.getBlockNumber();
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((await provider.getCode(address, mid)) !== '0x') hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

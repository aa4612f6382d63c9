// Deploys the Cartesi Rollups v1 contracts at their canonical addresses, the way hardhat-deploy
// does for mainnet, testnets and the Cartesi CLI devnet: the published deployment bytecode (already
// linked to its libraries) plus ABI-encoded constructor arguments, CREATE2 through the Safe
// singleton factory with salt 0. Then the application is created the way the CLI 1.5 devnet does.
import { createRequire } from 'node:module';
import { AbiCoder, ZeroHash, type Signer } from 'ethers';
import {
  SelfHostedApplicationFactory__factory,
  SINGLETON_FACTORY_ADDRESS,
  SINGLETON_FACTORY_RUNTIME_CODE,
  deterministicDeployData,
  hasCode,
  predictDeterministicAddress,
} from '@tt/cartesi-v1';

const require = createRequire(import.meta.url);

/** A published deployment: the transaction hardhat-deploy sent, which replayed through the factory lands in place. */
interface DeploymentJson {
  address: string;
  abi: { type: string; inputs?: { type: string }[] }[];
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

/** The addresses every v1 devnet (Cartesi CLI 1.5) has; checked against CREATE2 at deploy time. */
export const CANONICAL_ADDRESSES = Object.fromEntries(
  CANONICAL.map(([pkg, name]) => [name, deploymentJson(pkg, name).address]),
) as Record<CartesiContractName, string>;

export interface CartesiDeployment {
  contracts: Record<CartesiContractName, string>;
  application: string;
  authority: string;
  history: string;
  /** Block in which the InputBox was deployed: where the node starts reading inputs. */
  inputBoxDeploymentBlock: number;
}

/**
 * What deployCartesi did: the deployment, with the InputBox's block when it deployed it now (a chain replayed from its
 * journal already has it: its block is then the caller's to know, see ChainFacts).
 */
export type CartesiDeployed = Omit<CartesiDeployment, 'inputBoxDeploymentBlock'> & {
  inputBoxDeployedAt: number | undefined;
};

/**
 * Idempotent: contracts already on the chain (e.g. after the journal was replayed) are left alone.
 * `setCode` installs the singleton factory (hardhat_setCode); the deployer signs everything else.
 */
export async function deployCartesi(
  deployer: Signer,
  setCode: (address: string, code: string) => Promise<void>,
): Promise<CartesiDeployed> {
  const provider = deployer.provider;
  if (!provider) throw new Error('the deployer signer has no provider');
  if (!(await hasCode(provider, SINGLETON_FACTORY_ADDRESS)))
    await setCode(SINGLETON_FACTORY_ADDRESS, SINGLETON_FACTORY_RUNTIME_CODE);
  const abi = AbiCoder.defaultAbiCoder();
  let inputBoxDeployedAt: number | undefined;
  for (const [pkg, name] of CANONICAL) {
    const d = deploymentJson(pkg, name);
    const ctorTypes = (d.abi.find((x) => x.type === 'constructor')?.inputs ?? []).map((i) => i.type);
    const initCode = d.bytecode + abi.encode(ctorTypes, d.args ?? []).slice(2);
    const predicted = predictDeterministicAddress(initCode);
    if (predicted.toLowerCase() !== d.address.toLowerCase()) {
      throw new Error(
        `${name} would land at ${predicted}, not its canonical ${d.address}: the @cartesi package version is wrong`,
      );
    }
    if (await hasCode(provider, predicted)) continue;
    const tx = await deployer.sendTransaction({
      to: SINGLETON_FACTORY_ADDRESS,
      data: deterministicDeployData(initCode),
    });
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1 || !(await hasCode(provider, predicted)))
      throw new Error(`deploying ${name} through the singleton factory failed`);
    if (name === 'InputBox') inputBoxDeployedAt = receipt.blockNumber;
  }

  const owner = await deployer.getAddress();
  const factory = SelfHostedApplicationFactory__factory.connect(
    CANONICAL_ADDRESSES.SelfHostedApplicationFactory,
    deployer,
  );
  const [application, authority, history] = await factory.calculateAddresses(
    owner,
    owner,
    ZeroHash,
    ZeroHash,
  );
  if (!(await hasCode(provider, application))) {
    const tx = await factory.deployContracts(owner, owner, ZeroHash, ZeroHash);
    await tx.wait();
  }
  return { contracts: { ...CANONICAL_ADDRESSES }, application, authority, history, inputBoxDeployedAt };
}

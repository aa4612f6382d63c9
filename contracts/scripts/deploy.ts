// Deploys TrustAndTeach to any JSON-RPC chain through the singleton factory, binds the DApp if one is given, and
// writes contracts/deployments/<network>.json. Configured by environment variables (see contracts/README.md):
//   RPC_URL        JSON-RPC endpoint (default http://127.0.0.1:8545)
//   PRIVATE_KEY    deployer key; on chain 31337 it defaults to the first account of the test mnemonic
//   MODEL_NAME, MODEL_LICENSE, MODEL_HASH (0x + 64 hex), SEQ_LEN   the model record (required)
//   INPUT_BOX      Cartesi v1 InputBox (default the canonical 0x59b22D57D4f067708AB0c00552767405926dc768)
//   DAPP_ADDRESS   CartesiDApp to bind now (optional; binding is one-shot)
//   OWNER          account allowed to bind (default the deployer)
//   AUTHORITY_ADDRESS, HISTORY_ADDRESS   recorded in the deployments file when given
//   DEPLOYMENTS_OUT  where to write (default contracts/deployments/<network-or-chainId>.json)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JsonRpcProvider, Wallet, getAddress, isHexString, type Signer } from 'ethers';
import { InputBox__factory, ensureSingletonFactory, findDeploymentBlock } from '@tt/cartesi-v1';
import { DEVNET_CHAIN_ID, devnetAccount, networkName, type Deployments } from '@tt/protocol';
import {
  CANONICAL_INPUT_BOX_ADDRESS,
  bindDApp,
  deployTrustAndTeach,
  predictTrustAndTeachAddress,
  type TrustAndTeachArgs,
} from '../src/deploy.ts';
import { readDeployments, writeDeployments } from '../src/deployments.ts';

class ConfigError extends Error {
  override name = 'ConfigError';
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new ConfigError(`${name} is required (see contracts/README.md)`);
  return value;
}

function modelFromEnv(): Pick<TrustAndTeachArgs, 'modelName' | 'modelLicense' | 'modelHash' | 'seqLen'> {
  const modelHash = required('MODEL_HASH');
  if (!isHexString(modelHash, 32))
    throw new ConfigError(`MODEL_HASH must be 0x + 64 hex digits, got ${modelHash}`);
  const seqLen = Number(required('SEQ_LEN'));
  if (!Number.isInteger(seqLen) || seqLen < 1 || seqLen > 0xffffffff) {
    throw new ConfigError(`SEQ_LEN must be an integer in 1..2^32-1, got ${process.env.SEQ_LEN}`);
  }
  return { modelName: required('MODEL_NAME'), modelLicense: required('MODEL_LICENSE'), modelHash, seqLen };
}

function signerFor(provider: JsonRpcProvider, chainId: number): Signer {
  const key = process.env.PRIVATE_KEY;
  if (key) return new Wallet(key, provider);
  if (chainId === DEVNET_CHAIN_ID) return devnetAccount(0).connect(provider);
  throw new ConfigError(`PRIVATE_KEY is required on chain ${chainId}`);
}

/** The InputBox must be the real one: prompts sent elsewhere would never reach the DApp. */
async function checkInputBox(provider: JsonRpcProvider, address: string): Promise<void> {
  if ((await provider.getCode(address)) === '0x') {
    throw new ConfigError(
      `no Cartesi v1 InputBox at ${address}: deploy the Cartesi contracts first (a local chain: start the devnet), or set INPUT_BOX`,
    );
  }
  try {
    await InputBox__factory.connect(address, provider).getNumberOfInputs(getAddress(address));
  } catch (error) {
    throw new ConfigError(
      `the contract at ${address} does not answer getNumberOfInputs: not an InputBox (${String(error)})`,
    );
  }
}

async function main(): Promise<void> {
  const rpcUrl = process.env.RPC_URL || 'http://127.0.0.1:8545';
  const provider = new JsonRpcProvider(rpcUrl);
  const chainId = Number((await provider.getNetwork()).chainId);
  const signer = signerFor(provider, chainId);
  const inputBox = getAddress(process.env.INPUT_BOX || CANONICAL_INPUT_BOX_ADDRESS);
  const args: TrustAndTeachArgs = {
    owner: getAddress(process.env.OWNER || (await signer.getAddress())),
    inputBox,
    ...modelFromEnv(),
  };
  const network = networkName(chainId);
  const out =
    process.env.DEPLOYMENTS_OUT || fileURLToPath(new URL(`../deployments/${network}.json`, import.meta.url));

  await checkInputBox(provider, inputBox);
  if (chainId === DEVNET_CHAIN_ID && (await ensureSingletonFactory(provider))) {
    console.log('installed the singleton factory on the local chain');
  }

  console.log(`TrustAndTeach on chain ${chainId}: predicted ${predictTrustAndTeachAddress(args)}`);
  const deployment = await deployTrustAndTeach(signer, args);
  console.log(deployment.deployed ? `deployed in ${deployment.txHash}` : 'already deployed, nothing sent');

  const previous = existsSync(out) ? await readDeployments(out).catch(() => undefined) : undefined;
  const samePrevious = previous?.contracts.TrustAndTeach === deployment.address ? previous : undefined;
  const deploymentBlock =
    deployment.blockNumber ??
    samePrevious?.trustAndTeachDeploymentBlock ??
    (await findDeploymentBlock(provider, deployment.address)) ??
    0;

  const dapp = process.env.DAPP_ADDRESS ? getAddress(process.env.DAPP_ADDRESS) : undefined;
  if (dapp) {
    const bind = await bindDApp(signer, deployment.address, dapp);
    console.log(bind.bound ? `bound DApp ${dapp} in ${bind.txHash}` : `already bound to DApp ${dapp}`);
  }

  const deployments: Deployments = {
    ...samePrevious,
    chainId,
    network,
    rpcUrl: samePrevious?.rpcUrl ?? rpcUrl,
    contracts: {
      ...samePrevious?.contracts,
      TrustAndTeach: deployment.address,
      InputBox: inputBox,
      ...(dapp ? { CartesiDApp: dapp } : {}),
      ...(process.env.AUTHORITY_ADDRESS ? { Authority: getAddress(process.env.AUTHORITY_ADDRESS) } : {}),
      ...(process.env.HISTORY_ADDRESS ? { History: getAddress(process.env.HISTORY_ADDRESS) } : {}),
    },
    trustAndTeachDeploymentBlock: deploymentBlock,
    model: { name: args.modelName, license: args.modelLicense, hash: args.modelHash, seqLen: args.seqLen },
  };
  await writeDeployments(out, deployments);
  console.log(`wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `deploy: ${error.message}` : error);
  process.exitCode = 1;
});

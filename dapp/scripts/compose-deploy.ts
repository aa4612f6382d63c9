// The deploy job of the docker compose stack (docker-compose.yml, service `deployer`), run inside the image built
// from dapp/Dockerfile's `deployer` stage. Commands:
//   address   print TrustAndTeach's address for this model and owner (to build the machine with TT_CONTRACT)
//   deploy    deploy TrustAndTeach through the singleton factory, bind the application to it, and publish
//             deployments.json and the model files into TT_PUBLIC_DIR (no engine: the UI runs only the one built
//             into it, pinned by hash)
// It uses @tt/contracts' deploy helpers, the same code the devnet and the testnet deployment use.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLI_DEVNET_APPLICATION as DEVNET,
  ensureSingletonFactory,
  findDeploymentBlock,
} from '@tt/cartesi-v1';
import {
  bindDApp,
  CANONICAL_INPUT_BOX_ADDRESS,
  deployTrustAndTeach,
  predictTrustAndTeachAddress,
  type TrustAndTeachArgs,
} from '@tt/contracts';
import { writeDeployments } from '@tt/contracts/deployments';
import { checkModelPair, countTokenizerPieces, modelHash, readCheckpointHeader } from '@tt/llm';
import { DEVNET_MNEMONIC } from '@tt/protocol';
import { getAddress, HDNodeWallet, JsonRpcProvider, Mnemonic } from 'ethers';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function env(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (value === undefined) throw new Error(`environment variable ${name} is required`);
  return value;
}

interface Model {
  checkpoint: Uint8Array;
  tokenizer: Uint8Array;
  args: TrustAndTeachArgs;
}

async function model(owner: string): Promise<Model> {
  const checkpoint = new Uint8Array(await readFile(env('TT_CHECKPOINT')));
  const tokenizer = new Uint8Array(await readFile(env('TT_TOKENIZER')));
  const header = readCheckpointHeader(checkpoint);
  if (!header) throw new Error(`${env('TT_CHECKPOINT')} is not a llama2.c checkpoint`);
  return {
    checkpoint,
    tokenizer,
    args: {
      owner,
      inputBox: env('TT_INPUT_BOX', CANONICAL_INPUT_BOX_ADDRESS),
      modelName: env('TT_MODEL_NAME'),
      modelLicense: env('TT_MODEL_LICENSE'),
      modelHash: await modelHash(checkpoint, tokenizer),
      seqLen: header.seqLen,
    },
  };
}

function ownerWallet(): HDNodeWallet {
  // account 0 of the public test mnemonic by default: the CLI devnet's deployer and the application's owner
  const index = Number(env('TT_MNEMONIC_ACCOUNT_INDEX', '0'));
  return HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase(env('TT_MNEMONIC', DEVNET_MNEMONIC)),
    `m/44'/60'/0'/0/${index}`,
  );
}

async function printAddress(): Promise<void> {
  const owner = process.env.TT_OWNER ? getAddress(process.env.TT_OWNER) : ownerWallet().address;
  const { args } = await model(owner);
  console.log(predictTrustAndTeachAddress(args));
}

async function deploy(): Promise<void> {
  const provider = new JsonRpcProvider(env('TT_RPC_URL'), undefined, {
    staticNetwork: true,
    polling: true,
    pollingInterval: 500,
    // ethers otherwise answers a repeated call within 250 ms from its cache: the nonce of the bind transaction,
    // read right after the deployment was mined, would be the stale one
    cacheTimeout: -1,
  });
  const signer = ownerWallet().connect(provider);
  const { checkpoint, tokenizer, args } = await model(signer.address);
  const predicted = predictTrustAndTeachAddress(args);
  const expected = process.env.TT_CONTRACT;
  if (expected && getAddress(expected) !== predicted) {
    throw new Error(
      `the machine was built with TT_CONTRACT=${expected}, but TrustAndTeach for this model and owner is at ${predicted}: ` +
        `rebuild the machine with TT_CONTRACT=${predicted} (dapp/README.md), or it will reject every prompt`,
    );
  }
  const application = env('TT_APPLICATION', DEVNET.application);
  if ((await provider.getCode(application)) === '0x') {
    throw new Error(`no application at ${application}: the dapp_deployer job creates it first`);
  }

  await ensureSingletonFactory(provider);
  const deployed = await deployTrustAndTeach(signer, args);
  const bound = await bindDApp(signer, deployed.address, application);
  const block = deployed.blockNumber ?? (await findDeploymentBlock(provider, deployed.address)) ?? 0;
  console.log(
    `TrustAndTeach ${deployed.address} ${deployed.deployed ? `deployed in block ${block}` : 'already deployed'}, ` +
      `${bound.bound ? 'bound to' : 'already bound to'} ${application}; model ${args.modelName} ${args.modelHash}`,
  );

  const publicDir = env('TT_PUBLIC_DIR');
  const nodeUrl = env('TT_PUBLIC_NODE_URL', 'http://127.0.0.1:8080').replace(/\/+$/, '');
  await writeDeployments(join(publicDir, 'deployments.json'), {
    chainId: Number((await provider.getNetwork()).chainId),
    network: 'compose',
    rpcUrl: env('TT_PUBLIC_RPC_URL', 'http://127.0.0.1:8545'),
    graphqlUrl: `${nodeUrl}/graphql`,
    inspectUrl: `${nodeUrl}/inspect`,
    contracts: {
      TrustAndTeach: deployed.address,
      InputBox: args.inputBox,
      CartesiDApp: application,
      Authority: env('TT_AUTHORITY', DEVNET.authority),
      History: env('TT_HISTORY', DEVNET.history),
    },
    trustAndTeachDeploymentBlock: block,
    model: { name: args.modelName, license: args.modelLicense, hash: args.modelHash, seqLen: args.seqLen },
  });

  // The files the browser needs to re-run a response: same paths as the embedded devnet serves.
  await mkdir(join(publicDir, 'models'), { recursive: true });
  await writeFile(join(publicDir, 'models', 'checkpoint.bin'), checkpoint);
  await writeFile(join(publicDir, 'models', 'tokenizer.bin'), tokenizer);
  // the same shape as the embedded devnet's /models/manifest.json (packages/devnet/src/model.ts)
  const pair = checkModelPair(readCheckpointHeader(checkpoint)!, countTokenizerPieces(tokenizer));
  const manifest = {
    name: args.modelName,
    license: args.modelLicense,
    hash: args.modelHash,
    seqLen: args.seqLen,
    vocabSize: pair.vocabSize,
    tokenizerPieces: pair.tokenizerPieces,
    warnings: pair.warning ? [{ code: 'tokenizer-mismatch', message: pair.warning }] : [],
    files: {
      checkpoint: { url: '/models/checkpoint.bin', sha256: sha256Hex(checkpoint), size: checkpoint.length },
      tokenizer: { url: '/models/tokenizer.bin', sha256: sha256Hex(tokenizer), size: tokenizer.length },
    },
  };
  await writeFile(join(publicDir, 'models', 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`published deployments.json and models/ in ${publicDir}`);
}

const command = process.argv[2];
const run = command === 'address' ? printAddress : command === 'deploy' ? deploy : undefined;
if (!run) {
  console.error('usage: compose-deploy.ts address | deploy');
  process.exit(2);
}
run().catch((err: unknown) => {
  console.error(`deployer: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

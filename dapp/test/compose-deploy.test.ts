// The compose stack's deploy job (scripts/compose-deploy.ts), run as the deployer image runs it, against a devnet
// chain where the application exists but TrustAndTeach does not: the same situation as after the stack's
// dapp_deployer job. It must deploy TrustAndTeach at the address `address` predicts, bind it, and publish files the
// frontend can read; run again, it must change nothing and still succeed (restart: on-failure reruns it).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDeployments } from '@tt/protocol';
import { TrustAndTeach__factory } from '@tt/contracts';
import { Contract, JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dappDir, haveModel, modelFiles, modelNote, startTestDevnet, type TestDevnet } from './harness.ts';

const run = promisify(execFile);

describe.skipIf(!haveModel)(`compose deploy job${modelNote}`, () => {
  let devnet: TestDevnet;
  let publicDir: string;
  let env: NodeJS.ProcessEnv;
  const deploy = (command: string) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/compose-deploy.ts', command], {
      cwd: dappDir,
      env,
      timeout: 120_000,
    });

  beforeAll(async () => {
    devnet = await startTestDevnet({ trustAndTeach: false });
    publicDir = mkdtempSync(join(tmpdir(), 'tt-public-'));
    env = {
      PATH: process.env.PATH,
      TT_CHECKPOINT: modelFiles.checkpoint,
      TT_TOKENIZER: modelFiles.tokenizer,
      TT_MODEL_NAME: 'stories260K',
      TT_MODEL_LICENSE: 'MIT',
      TT_RPC_URL: devnet.rpcUrl,
      // not account 0: the devnet's claimer sends from it, and two senders of one account race for nonces
      TT_MNEMONIC_ACCOUNT_INDEX: '4',
      TT_PUBLIC_DIR: publicDir,
      TT_PUBLIC_NODE_URL: 'http://127.0.0.1:8080',
    };
  }, 60_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  it('deploys TrustAndTeach at the predicted address, binds it, and publishes deployments and model', async () => {
    const predicted = (await deploy('address')).stdout.trim();
    expect(predicted).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const first = await deploy('deploy');
    expect(first.stdout).toContain(`TrustAndTeach ${predicted} deployed in block`);

    const deployments = parseDeployments(
      JSON.parse(readFileSync(join(publicDir, 'deployments.json'), 'utf8')),
    );
    expect(deployments).toMatchObject({
      chainId: 31337,
      network: 'compose',
      rpcUrl: 'http://127.0.0.1:8545',
      graphqlUrl: 'http://127.0.0.1:8080/graphql',
      inspectUrl: 'http://127.0.0.1:8080/inspect',
      contracts: {
        TrustAndTeach: predicted,
        CartesiDApp: devnet.deployments.contracts.CartesiDApp,
        InputBox: devnet.deployments.contracts.InputBox,
        Authority: devnet.deployments.contracts.Authority,
        History: devnet.deployments.contracts.History,
      },
      model: { name: 'stories260K', license: 'MIT', hash: devnet.deployments.model.hash, seqLen: 512 },
    });
    expect(deployments.trustAndTeachDeploymentBlock).toBeGreaterThan(0);

    const provider = new JsonRpcProvider(devnet.rpcUrl, 31337, { staticNetwork: true });
    const tt = new Contract(predicted, TrustAndTeach__factory.abi, provider);
    expect((await tt.getFunction('dapp')()).toLowerCase()).toBe(
      devnet.deployments.contracts.CartesiDApp.toLowerCase(),
    );
    expect(await tt.getFunction('modelHash')()).toBe(devnet.deployments.model.hash);
    provider.destroy();

    expect(
      readFileSync(join(publicDir, 'models', 'checkpoint.bin')).equals(readFileSync(modelFiles.checkpoint)),
    ).toBe(true);
    expect(
      readFileSync(join(publicDir, 'models', 'tokenizer.bin')).equals(readFileSync(modelFiles.tokenizer)),
    ).toBe(true);
    // the same manifest the devnet serves at /models/manifest.json
    const devnetManifest = (await (await fetch(`${devnet.nodeUrl}/models/manifest.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(JSON.parse(readFileSync(join(publicDir, 'models', 'manifest.json'), 'utf8'))).toEqual(
      devnetManifest,
    );
    expect(existsSync(join(publicDir, 'engine'))).toBe(false);

    const again = await deploy('deploy');
    expect(again.stdout).toContain(`TrustAndTeach ${predicted} already deployed, already bound to`);
  }, 120_000);

  it('refuses to deploy for a machine built with another TT_CONTRACT, saying which one to build with', async () => {
    const wrong = '0x' + '12'.repeat(20);
    const predicted = (await deploy('address')).stdout.trim();
    env = { ...env, TT_CONTRACT: wrong };
    await expect(deploy('deploy')).rejects.toMatchObject({
      stderr: expect.stringContaining(`rebuild the machine with TT_CONTRACT=${predicted}`),
    });
  }, 60_000);
});

// The deploy script against a real JSON-RPC endpoint (Hardhat's in-process chain served over HTTP on a free port),
// and the deployments file helpers it writes with.
import { expect } from 'chai';
import hre from 'hardhat';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { JsonRpcServer } from 'hardhat/internal/hardhat-network/jsonrpc/server.js';
import { ensureSingletonFactory } from '@tt/cartesi-v1';
import { InvalidDeploymentsError, type Deployments } from '@tt/protocol';
import { DAPP_ADDRESS, MODEL_HASH, deployInputBox, provider, signers } from './fixture.ts';
import { predictTrustAndTeachAddress, CANONICAL_INPUT_BOX_ADDRESS } from '../src/deploy.ts';
import { readDeployments, writeDeployments } from '../src/deployments.ts';
import { TrustAndTeach__factory } from '../src/index.ts';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = join(packageDir, 'scripts', 'deploy.ts');

const EXAMPLE: Deployments = {
  chainId: 31337,
  network: 'devnet',
  rpcUrl: 'http://127.0.0.1:8545',
  graphqlUrl: 'http://127.0.0.1:8080/graphql',
  inspectUrl: 'http://127.0.0.1:8080/inspect',
  contracts: {
    TrustAndTeach: '0x5F72Df21Cfa0cd9bFDf7ed3ff22E7f33f9E69F8D',
    InputBox: CANONICAL_INPUT_BOX_ADDRESS,
    CartesiDApp: '0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e',
    Authority: '0x58c93F83fb3304730C95aad2E360cdb88b782010',
    History: '0x325272217ae6815b494bF38cED004c5Eb8a7CdA7',
  },
  trustAndTeachDeploymentBlock: 0,
  model: { name: 'stories15M', license: 'MIT', hash: MODEL_HASH, seqLen: 256 },
};

async function chainWithInputBoxOnly(): Promise<void> {
  const [deployer] = await signers(1);
  await ensureSingletonFactory(provider);
  await deployInputBox(deployer!);
}

describe('deploy script', () => {
  let server: JsonRpcServer;
  let rpcUrl: string;
  let dir: string;

  before(async () => {
    server = new JsonRpcServer({ hostname: '127.0.0.1', port: 0, provider: hre.network.provider });
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    dir = await mkdtemp(join(tmpdir(), 'tt-deploy-'));
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>) => ({
    ...process.env,
    RPC_URL: rpcUrl,
    // Not the fixture's model, so the address differs from the one the other test files deploy on the same chain.
    MODEL_NAME: 'stories260K',
    MODEL_LICENSE: 'MIT',
    MODEL_HASH,
    SEQ_LEN: '512',
    ...extra,
  });
  const deploy = (extra: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: env(extra),
      cwd: packageDir,
    });

  it('deploys at the predicted address, binds the DApp, writes the deployments file, and is idempotent', async () => {
    await loadFixture(chainWithInputBoxOnly);
    const out = join(dir, 'local.json');
    const [owner] = await signers(1);
    const expected = predictTrustAndTeachAddress({
      owner: owner!.address,
      inputBox: CANONICAL_INPUT_BOX_ADDRESS,
      modelName: 'stories260K',
      modelLicense: 'MIT',
      modelHash: MODEL_HASH,
      seqLen: 512,
    });

    const first = await deploy({ DEPLOYMENTS_OUT: out });
    expect(first.stdout).to.include(`predicted ${expected}`).and.include('deployed in 0x');
    const written = await readDeployments(out);
    expect(written.contracts).to.deep.equal({
      TrustAndTeach: expected,
      InputBox: CANONICAL_INPUT_BOX_ADDRESS,
    });
    expect(written.chainId).to.equal(31337);
    expect(written.model).to.deep.equal({
      name: 'stories260K',
      license: 'MIT',
      hash: MODEL_HASH,
      seqLen: 512,
    });
    expect(written.trustAndTeachDeploymentBlock).to.be.greaterThan(0);
    const tt = TrustAndTeach__factory.connect(expected, provider);
    expect(await tt.modelHash()).to.equal(MODEL_HASH);
    expect(await tt.owner()).to.equal(owner!.address);

    const second = await deploy({ DEPLOYMENTS_OUT: out, DAPP_ADDRESS });
    expect(second.stdout)
      .to.include('already deployed, nothing sent')
      .and.include(`bound DApp ${DAPP_ADDRESS}`);
    const rewritten = await readDeployments(out);
    expect(rewritten.contracts.CartesiDApp).to.equal(DAPP_ADDRESS);
    expect(rewritten.trustAndTeachDeploymentBlock).to.equal(written.trustAndTeachDeploymentBlock);
    expect(await tt.dapp()).to.equal(DAPP_ADDRESS);

    // Without a previous file to take it from, the deployment block is found by searching the chain.
    const fresh = join(dir, 'fresh.json');
    await deploy({ DEPLOYMENTS_OUT: fresh });
    expect((await readDeployments(fresh)).trustAndTeachDeploymentBlock).to.equal(
      written.trustAndTeachDeploymentBlock,
    );
  });

  it('refuses to deploy where the InputBox is missing, and names the missing settings', async () => {
    await loadFixture(chainWithInputBoxOnly);
    const wrongBox = '0x0000000000000000000000000000000000000123';
    const noBox = await deploy({ INPUT_BOX: wrongBox, DEPLOYMENTS_OUT: join(dir, 'x.json') }).catch((e) => e);
    expect(noBox.stderr).to.include(`no Cartesi v1 InputBox at ${wrongBox}`);
    const noHash = await deploy({ MODEL_HASH: '', DEPLOYMENTS_OUT: join(dir, 'x.json') }).catch((e) => e);
    expect(noHash.stderr).to.include('MODEL_HASH is required');
    const badLen = await deploy({ SEQ_LEN: '0', DEPLOYMENTS_OUT: join(dir, 'x.json') }).catch((e) => e);
    expect(badLen.stderr).to.include('SEQ_LEN must be an integer');
  });
});

describe('deployments file', () => {
  it('writes and reads back the shape of docs/interfaces.md', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tt-deployments-'));
    try {
      const path = join(dir, 'nested', 'devnet.json');
      await writeDeployments(path, EXAMPLE);
      expect(await readDeployments(path)).to.deep.equal(EXAMPLE);
      expect((await readFile(path, 'utf8')).endsWith('}\n')).to.equal(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a file that is not JSON (the fields themselves are checked by @tt/protocol)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tt-deployments-'));
    try {
      await writeFile(join(dir, 'broken.json'), '{ not json');
      const error = await readDeployments(join(dir, 'broken.json')).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidDeploymentsError);
      expect(String(error)).to.include('broken.json').and.include('not JSON');
      const missing = await readDeployments(join(dir, 'none.json')).catch((e: unknown) => e);
      expect(String(missing)).to.include('run the deploy script first');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// A real chain for the client's tests: @tt/cartesi-node's local chain (Hardhat EDR with the Cartesi v1 contracts) and
// TrustAndTeach deployed on it and bound to a test account, so a test can post responses exactly as the DApp's
// vouchers do (postResponse from the bound address) without a rollup node.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalChain, type LocalChain } from '@tt/cartesi-node';
import { bindDApp, deployTrustAndTeach, TrustAndTeach__factory, type TrustAndTeach } from '@tt/contracts';
import { devnetAccount } from '@tt/protocol';
import { JsonRpcProvider, NonceManager, toUtf8Bytes } from 'ethers';

/** The test account the contract takes as its DApp. */
export const DAPP_ACCOUNT = 9;
export const MODEL_HASH = `0x${'ab'.repeat(32)}`;

export interface TestChain {
  local: LocalChain;
  rpcUrl: string;
  address: string;
  deploymentBlock: number;
  provider: JsonRpcProvider;
  /** The contract as test account n. */
  as(n: number): TrustAndTeach;
  prompt(n: number, text: string, steps?: number): Promise<bigint>;
  /** Both responses of a conversation, posted as the DApp's vouchers would. */
  post(id: bigint, texts?: [string, string]): Promise<void>;
  rank(n: number, id: bigint, first: 0 | 1): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestChain(): Promise<TestChain> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-client-chain-'));
  const local = await startLocalChain({ stateDir: dir, fresh: true, rpcPort: 0, log: () => undefined });
  const provider = new JsonRpcProvider(local.rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
  const owner = await local.chain.signer(0);
  const deployed = await deployTrustAndTeach(owner, {
    owner: owner.address,
    inputBox: local.cartesi.contracts.InputBox,
    modelName: 'test',
    modelLicense: 'MIT',
    modelHash: MODEL_HASH,
    seqLen: 64,
  });
  await bindDApp(owner, deployed.address, devnetAccount(DAPP_ACCOUNT).address);
  const wallets = new Map<number, NonceManager>();
  const as = (n: number) => {
    let w = wallets.get(n);
    if (!w) wallets.set(n, (w = new NonceManager(devnetAccount(n).connect(provider))));
    return TrustAndTeach__factory.connect(deployed.address, w);
  };
  return {
    local,
    rpcUrl: local.rpcUrl,
    address: deployed.address,
    deploymentBlock: deployed.blockNumber!,
    provider,
    as,
    async prompt(n, text, steps = 32) {
      const tt = as(n);
      const id = await tt.conversationCount();
      await (await tt['sendPrompt(string,uint32)'](text, steps)).wait();
      return id;
    },
    async post(id, texts = [`response 0 of ${id}`, `response 1 of ${id}`]) {
      const tt = as(DAPP_ACCOUNT);
      const c = await tt.getConversation(id);
      for (const i of [0, 1] as const) {
        const seed = await tt.seedFor(id, i);
        const tx = await tt.postResponse(
          id,
          i,
          toUtf8Bytes(texts[i]),
          MODEL_HASH,
          seed,
          c.steps,
          c.temperatureMilli,
          c.topPMilli,
        );
        await tx.wait();
      }
    },
    async rank(n, id, first) {
      await (await as(n).submitRanking(id, first === 0 ? [0, 1] : [1, 0])).wait();
    },
    async stop() {
      provider.destroy();
      await local.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

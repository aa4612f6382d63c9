// Finding 9 of issue 16: after `hardhat_mine 0xbb8` (3,000 blocks) and a restart, the devnet moved TrustAndTeach's
// deployment block from 17 to 6044 (it searched for it again, by eth_getCode at past blocks, which Hardhat answers
// wrongly inside mined ranges), and reading the dataset from there found no PromptSubmitted event. A deployment's
// block is now recorded once, in the devnet's state, and read back on every start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TrustAndTeach__factory } from '@tt/contracts';
import { startTestDevnet, testAccount, testProvider } from '../src/testing.js';

const stateDir = mkdtempSync(join(tmpdir(), 'tt-devnet-restart-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

it('keeps the deployment blocks across a restart after hardhat_mine 0xbb8, and the dataset stays readable', async () => {
  const first = await startTestDevnet({ stateDir, backend: 'none' });
  const before = first.deployments;
  const alice = testAccount(first, 2);
  await (await alice.trustAndTeach['sendPrompt(string,uint32)']('Once upon a time', 32)).wait();
  alice.destroy();
  const rpc = testProvider(first.rpcUrl);
  await rpc.send('hardhat_mine', ['0xbb8']);
  rpc.destroy();
  await first.stop();

  const second = await startTestDevnet({ stateDir, backend: 'none' });
  try {
    expect(second.deployments.trustAndTeachDeploymentBlock).toBe(before.trustAndTeachDeploymentBlock);
    expect(second.deployments.inputBoxDeploymentBlock).toBe(before.inputBoxDeploymentBlock);
    expect(second.deployments.trustAndTeachDeploymentBlock).toBeLessThan(100);
    // what the exporter does: every event from the deployment block on
    const provider = testProvider(second.rpcUrl);
    const tt = TrustAndTeach__factory.connect(second.deployments.contracts.TrustAndTeach, provider);
    const prompts = await tt.queryFilter(
      tt.filters.PromptSubmitted(),
      second.deployments.trustAndTeachDeploymentBlock,
    );
    expect(prompts.map((p) => [p.args.conversationId, p.args.prompt])).toEqual([
      [0n, '0x' + Buffer.from('Once upon a time').toString('hex')],
    ]);
    provider.destroy();
  } finally {
    await second.stop();
  }
}, 120_000);

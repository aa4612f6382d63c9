// Fine-tuning inside the rollup, end to end on a devnet this test starts (stories260K; the backend trains one
// optimizer step per input so a version takes several inputs): prompts → posts → rankings → `tt teach --on-chain` →
// the backend trains → the devnet restarts in the middle of the training (its backend replays the inputs) → training
// goes on → `tt teach --all-ranked --wait` finishes both versions and executes their registerModel vouchers → the
// first version's hash is `tt teach`'s on the same pairs and hyper-parameters → `tt models` shows base → v1 → v2 →
// a prompt to v1 is answered by v1 → `tt verify` re-derives v1 from the chain and verifies the response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM, GraphQLClient, postWhenClaimed, sendPrompt, SWITCH, submitRanking } from '@tt/client';
import {
  backendPath,
  gql,
  startTestDevnet,
  testAccount,
  testProvider,
  type TestAccount,
  type TestDevnet,
} from '@tt/devnet/testing';
import { e2eSkipReason, tempDir, tt, type TtRun } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.warn(`[tt teach --on-chain e2e] SKIPPED: ${skipReason}`);

// 4 pairs, 2 per step, 2 epochs: 4 steps; one step's work per input: the first input runs the 4 reference passes (a
// third of a pair's training pass each), then one step per input, so the first version needs five inputs.
const HYPER = { epochs: 2, batchSize: 2, seed: 5 };
const FIRST = [0n, 1n, 2n, 3n];
const SECOND = [4n, 5n];
const prefers = (id: bigint) => (id % 2n === 0n ? SWITCH : CONFIRM);

describe.skipIf(skipReason !== null)(
  `tt teach --on-chain: training inside the rollup, versions on chain${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const state = tempDir('tt-teach-onchain-');
    let devnet: TestDevnet;
    let accounts: TestAccount[] = [];
    let D: string[] = [];
    let offlineBlock = 0;
    let v1Hash = '';

    const start = async () => {
      devnet = await startTestDevnet({
        stateDir: state.path,
        backend: {
          command: process.execPath,
          args: [backendPath],
          env: { TT_TEACH_STEPS_PER_INPUT: '1', TT_TEACH_HYPER_PARAMETERS: JSON.stringify(HYPER) },
        },
      });
      D = ['--deployments', devnet.deploymentsPath];
      accounts = [1, 2].map((n) => testAccount(devnet, n));
    };
    const stop = async () => {
      for (const a of accounts) a.destroy();
      await devnet.stop();
    };
    const run = async (args: string[], expectCode = 0): Promise<TtRun> => {
      const r = await tt([...args, ...D]);
      if (r.code !== expectCode)
        throw new Error(
          `tt ${args.join(' ')} exited ${r.code}, expected ${expectCode}\n${r.stdout}\n${r.stderr}`,
        );
      return r;
    };
    const noticesOf = async (inputIndex: number) => {
      const data = await gql<{
        input: { status: string; notices: { edges: { node: { payload: string } }[] } };
      }>(
        devnet.graphqlUrl,
        `{ input(index: ${inputIndex}) { status notices { edges { node { payload } } } } }`,
      );
      return {
        status: data.input.status,
        notices: data.input.notices.edges.map((e) =>
          JSON.parse(Buffer.from(e.node.payload.slice(2), 'hex').toString('utf8')),
        ),
      };
    };

    beforeAll(start, 120_000);
    afterAll(async () => {
      await stop().catch(() => undefined);
      state.remove();
    }, 60_000);

    it('prompts, posts and ranks six conversations (the last two stay unranked for now)', async () => {
      const [a1, a2] = accounts;
      for (let i = 0; i < 6; i++) {
        const sent = await sendPrompt(a1!.trustAndTeach, `Once upon a time, story ${i}`, { steps: 40 });
        expect([sent.conversationId, sent.modelVersion]).toEqual([BigInt(i), 0]);
      }
      await devnet.settled(120_000);
      const graphql = new GraphQLClient(devnet.graphqlUrl);
      for (let i = 0; i < 6; i++) {
        const posted = await postWhenClaimed({
          graphql,
          dapp: devnet.deployments.contracts.CartesiDApp,
          trustAndTeach: devnet.deployments.contracts.TrustAndTeach,
          signer: a1!.wallet,
          inputIndex: i,
          conversationId: BigInt(i),
          retryMs: 250,
        });
        expect(posted.map((o) => o.status)).toEqual(['executed', 'executed']);
      }
      for (const id of FIRST) {
        await submitRanking(a1!.trustAndTeach, id, prefers(id));
        await submitRanking(a2!.trustAndTeach, id, prefers(id));
      }
      const provider = testProvider(devnet.rpcUrl);
      offlineBlock = await provider.getBlockNumber();
      provider.destroy();
    }, 300_000);

    it('sends the ranked conversations as ONE teach input; the machine runs the reference pass, then one step', async () => {
      const r = await run(['teach', '--on-chain', FIRST.join(','), '--json']);
      expect(r.json).toMatchObject({
        inputIndex: 6,
        conversationIds: ['0', '1', '2', '3'],
        chosenIndices: FIRST.map((id) => prefers(id)[0]),
        skippedTies: 0,
      });
      await devnet.settled(120_000);
      const o = await noticesOf(6);
      expect(o.status).toBe('ACCEPTED');
      expect(o.notices).toEqual([
        expect.objectContaining({ type: 'teach', referenceDone: 4, step: 0, totalSteps: 4, pairs: 4 }),
      ]);
      expect((await run(['teach', '--continue', '--json'])).json!.inputIndex).toBe(7);
      await devnet.settled(120_000);
      expect((await noticesOf(7)).notices).toEqual([expect.objectContaining({ type: 'teach', step: 1 })]);
    }, 180_000);

    it('restarting the devnet mid-training loses nothing: the replayed backend goes on at step 2', async () => {
      await stop();
      await start();
      const r = await run(['teach', '--continue', '--json']);
      expect(r.json!.inputIndex).toBe(8);
      await devnet.settled(120_000);
      const o = await noticesOf(8);
      expect(o.notices).toEqual([
        expect.objectContaining({ type: 'teach', teachInputIndex: 6, step: 2, totalSteps: 4 }),
      ]);
    }, 240_000);

    it('tt teach --all-ranked --wait finishes the first version, then the second, and registers both', async () => {
      const [a1] = accounts;
      for (const id of SECOND) await submitRanking(a1!.trustAndTeach, id, prefers(id));
      const r = await run(['teach', '--all-ranked', '--wait', '--json']);
      expect(r.json).toMatchObject({ conversationIds: ['4', '5'], version: 2, pairs: 2 });
      expect(r.stderr).toMatch(/version 0x[0-9a-f]{64} complete \(teach input 6\)/);

      const models = await run(['models', '--json']);
      const versions = models.json!.versions as Record<string, unknown>[];
      expect(versions.map((v) => [v.version, v.parentVersion])).toEqual([
        [0, null],
        [1, 0],
        [2, 1],
      ]);
      expect(versions[1]).toMatchObject({ teachInputIndex: 6, pairs: 4, steps: 4 });
      expect(versions[2]!.modelHash).toBe(r.json!.modelHash);
      v1Hash = versions[1]!.modelHash as string;
      expect((await run(['models'])).stdout).toContain('lineage: base → v1 → v2');
    }, 600_000);

    it('the first version is `tt teach` on the same pairs and hyper-parameters, bit for bit (restart included)', async () => {
      const out = tempDir('tt-teach-onchain-offline-');
      try {
        const r = await run([
          'teach',
          '--block',
          String(offlineBlock),
          '--epochs',
          String(HYPER.epochs),
          '--batch',
          String(HYPER.batchSize),
          '--seed',
          String(HYPER.seed),
          '--out',
          out.path,
          '--json',
        ]);
        expect(r.json!.pairs).toBe(4);
        expect(r.json!.modelHash).toBe(v1Hash);
      } finally {
        out.remove();
      }
    }, 300_000);

    it('a prompt to version 1 is answered by it, and tt verify re-derives v1 from the chain to check it', async () => {
      const p = await run([
        'prompt',
        'The little dog',
        '--length',
        '40',
        '--version',
        '1',
        '--wait',
        '--json',
      ]);
      expect(p.json).toMatchObject({ conversationId: '6', modelVersion: 1, modelHash: v1Hash });
      expect(p.json!.responses.map((n: { modelHash: string }) => n.modelHash)).toEqual([v1Hash, v1Hash]);
      await run(['post', '6', '--wait', '--json']);
      const v = await run(['verify', '6', '--json']);
      expect(v.json).toMatchObject({ verified: true, modelVersion: 1, modelHash: v1Hash, rederived: true });
      expect(v.stderr).toMatch(/version 1: training 4 pairs from version 0/);

      // The default is the latest version.
      const latest = await run(['prompt', 'Lily liked', '--length', '24', '--json']);
      expect(latest.json!.modelVersion).toBe(2);
    }, 600_000);
  },
);

// `tt teach` end to end on a devnet this test starts (stories260K, whose 512-id vocabulary differs from
// tokenizer.bin's 32,000: the pairs are ids, so the unreadable text does not matter). 22 prompts are sent, posted
// and ranked from two accounts (a third breaks some disagreements; two conversations stay ties); the 20-pair dataset
// trains on every build and twice, to one modelHash; the margin grows; --check reproduces it, also after the chain
// moved on; and the bad inputs say what is wrong: no conversations, only ties, a base that is not the contract's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClient, postWhenClaimed, sendPrompt, submitRanking, CONFIRM, SWITCH } from '@tt/client';
import { readCheckpointHeader, trainNativePath } from '@tt/llm/node';
import { randomCheckpointPath } from '@tt/llm/testing';
import { startTestDevnet, testAccount, type TestAccount, type TestDevnet } from '@tt/devnet/testing';
import { e2eSkipReason, tempDir, tt, type TtRun } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.warn(`[tt teach e2e] SKIPPED: ${skipReason}`);
const haveNative = trainNativePath() !== null;

const CONVERSATIONS = 22;
const TIES = [0n, 1n];
/** Fixed preferences (printed in the test's name): response 1 first when (id * 7) % 3 == 0. */
const prefers = (id: bigint) => ((id * 7n) % 3n === 0n ? SWITCH : CONFIRM);
const disagree = (id: bigint) => id % 5n === 0n; // account 2 disagrees, account 3 sides with account 1

describe.skipIf(skipReason !== null)(
  `tt teach on a devnet: 22 conversations, 20 pairs${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let devnet: TestDevnet;
    let work: ReturnType<typeof tempDir>;
    let D: string[];
    const accounts: TestAccount[] = [];
    const runs: Record<string, TtRun> = {};

    const teach = async (args: string[], expectCode = 0) => {
      const r = await tt(['teach', ...args, ...D]);
      if (r.code !== expectCode)
        throw new Error(
          `tt teach ${args.join(' ')} exited ${r.code}, expected ${expectCode}\n${r.stdout}\n${r.stderr}`,
        );
      return r;
    };

    beforeAll(async () => {
      work = tempDir('tt-teach-e2e-');
      devnet = await startTestDevnet();
      D = ['--deployments', devnet.deploymentsPath];
      for (const n of [1, 2, 3]) accounts.push(testAccount(devnet, n));
    }, 120_000);

    afterAll(async () => {
      for (const a of accounts) a.destroy();
      await devnet?.stop();
      work?.remove();
    }, 60_000);

    it('with no conversations: says there is nothing to train on, and how to make some', async () => {
      const r = await teach(['--json'], 1);
      expect(r.json!.error.code).toBe('dataset-empty');
      expect(r.json!.error.message).toBe('no pairs to train on: the contract has no conversations yet');
      expect(r.stderr).toContain('pnpm tt prompt');
    }, 120_000);

    it('prompt → post from account 1', async () => {
      const [a1] = accounts;
      for (let i = 0; i < CONVERSATIONS; i++) {
        const sent = await sendPrompt(a1!.trustAndTeach, `Once upon a time, story ${i}`, { steps: 40 });
        expect(sent.conversationId).toBe(BigInt(i));
      }
      await devnet.settled(120_000);
      const graphql = new GraphQLClient(devnet.graphqlUrl);
      for (let i = 0; i < CONVERSATIONS; i++) {
        const out = await postWhenClaimed({
          graphql,
          dapp: devnet.deployments.contracts.CartesiDApp,
          trustAndTeach: devnet.deployments.contracts.TrustAndTeach,
          signer: a1!.wallet,
          inputIndex: i,
          conversationId: BigInt(i),
          retryMs: 250,
        });
        expect(out.map((o) => o.status)).toEqual(['executed', 'executed']);
      }
    }, 300_000);

    it('with only ties: says so, and that one more ranking breaks a tie', async () => {
      const [a1, a2] = accounts;
      for (const id of TIES) {
        await submitRanking(a1!.trustAndTeach, id, CONFIRM);
        await submitRanking(a2!.trustAndTeach, id, SWITCH);
      }
      const r = await teach(['--json'], 1);
      expect(r.json!.error.code).toBe('dataset-only-ties');
      expect(r.json!.error.message).toMatch(/every ranked conversation is a tie \(2 of them/);
      expect(r.stderr).toContain('pnpm tt rank ID --confirm');
    }, 120_000);

    it('ranks the other 20 from two accounts (a third where they disagree)', async () => {
      const [a1, a2, a3] = accounts;
      for (let i = 2n; i < BigInt(CONVERSATIONS); i++) {
        const order = prefers(i);
        await submitRanking(a1!.trustAndTeach, i, order);
        if (disagree(i)) {
          await submitRanking(a2!.trustAndTeach, i, order === CONFIRM ? SWITCH : CONFIRM);
          await submitRanking(a3!.trustAndTeach, i, order);
        } else await submitRanking(a2!.trustAndTeach, i, order);
      }
    }, 120_000);

    it(`trains the 20 pairs to one modelHash from simd, a second simd run, scalar${haveNative ? ' and native' : ' (native not built)'}; the margin grows`, async () => {
      runs.simd = await teach(['--out', join(work.path, 'simd'), '--json']);
      const j = runs.simd.json!;
      expect(j.pairs).toBe(20);
      expect(j.counts).toEqual({
        conversations: 22,
        unanswered: 0,
        unranked: 0,
        ranked: 22,
        votes: 48,
        ties: 2,
        identical: 0,
        otherModel: 0,
        pairs: 20,
      });
      expect(j.steps).toBe(10); // 20 pairs, batches of 4, 2 epochs
      expect(j.evaluation.trainedMargin).toBeGreaterThan(j.evaluation.baseMargin);
      const manifest = JSON.parse(readFileSync(j.files.manifest, 'utf8'));
      expect(manifest.dataset.ties).toEqual(['0', '1']);
      expect(manifest.dataset.pairs[0]).toEqual({
        conversationId: '2',
        chosenIndex: prefers(2n)[0],
        votes: [1, 1].map((_, k) => (k === prefers(2n)[0] ? 2 : 0)),
      });
      expect(manifest.parentHash).toBe(devnet.deployments.model.hash);

      runs.again = await teach(['--out', join(work.path, 'again'), '--json']);
      runs.scalar = await teach(['--out', join(work.path, 'scalar'), '--backend', 'scalar', '--json']);
      if (haveNative)
        runs.native = await teach(['--out', join(work.path, 'native'), '--backend', 'native', '--json']);
      for (const [name, r] of Object.entries(runs)) {
        expect(r.json!.modelHash, name).toBe(j.modelHash);
        expect(readFileSync(r.json!.files.manifest, 'utf8'), name).toBe(
          readFileSync(j.files.manifest, 'utf8'),
        );
        expect(readFileSync(r.json!.files.model), name).toEqual(readFileSync(j.files.model));
      }
      // Figures for the record (never asserted: speed lives in the benchmarks).
      console.log(
        `[tt teach e2e] modelHash ${j.modelHash}; margin ${j.evaluation.baseMargin.toFixed(3)} → ${j.evaluation.trainedMargin.toFixed(3)} (${j.evaluation.improvedPairs}/20 pairs grew); ` +
          Object.entries(runs)
            .map(([n, r]) => `${n} ${r.json!.seconds.toFixed(2)} s`)
            .join(', '),
      );
    }, 300_000);

    it('prints live progress as plain lines when not on a terminal, and where it wrote', async () => {
      const r = await teach(['--out', join(work.path, 'human')]);
      expect(r.stdout).toMatch(
        /^dataset {4}20 pairs from 22 conversations at block \d+ \(left out: 2 ties\)$/m,
      );
      expect(r.stdout).toMatch(/^training: 10 optimizer steps$/m);
      expect(r.stdout).toMatch(
        /^ {2}step 1\/10 · loss 0\.6931 · acc 0% · margin \+0\.0000 · \d+ tok\/s · ETA \d+:\d\d$/m,
      );
      expect(r.stdout).toMatch(/^ {2}step 10\/10 · loss /m);
      expect(r.stdout).toContain(`model      ${runs.simd!.json!.modelHash}`);
      expect(r.stdout).toMatch(/anyone can re-check it: pnpm tt teach --check .*human\/model\.json/);
    }, 120_000);

    it('--check reproduces the hash, also after the chain moved on (it reads the manifest’s block)', async () => {
      // A new ranking breaks a tie: the latest chain now gives 21 pairs, the manifest's block still 20.
      await submitRanking(accounts[2]!.trustAndTeach, 0n, CONFIRM);
      const manifest = runs.simd!.json!.files.manifest;
      const r = await teach(['--check', manifest, '--json']);
      expect(r.json).toMatchObject({
        reproduced: true,
        modelHash: runs.simd!.json!.modelHash,
        datasetMatches: true,
        parentMatches: true,
        fileMatches: true,
        pairs: 20,
      });
      const human = await teach(['--check', manifest, '--backend', 'scalar']);
      expect(human.stdout).toContain(`reproduced: training again gives ${runs.simd!.json!.modelHash}`);
    }, 180_000);

    it('--check of a manifest whose model is not what its inputs give: exit 3, NOT reproduced', async () => {
      const m = JSON.parse(readFileSync(runs.simd!.json!.files.manifest, 'utf8'));
      m.modelHash = `0x${'00'.repeat(32)}`;
      const forged = join(work.path, 'forged.json');
      writeFileSync(forged, JSON.stringify(m));
      const r = await teach(['--check', forged, '--json'], 3);
      expect(r.json).toMatchObject({
        reproduced: false,
        modelHash: runs.simd!.json!.modelHash,
        fileMatches: null,
      });
    }, 180_000);

    it('refuses a base model that is not the contract’s', async () => {
      // Random weights of exactly the contract's model's shape: everything fits, only the hash differs.
      const shape = readCheckpointHeader(readFileSync(devnet.model!.checkpointPath))!;
      const other = randomCheckpointPath(shape, 99);
      const r = await teach(['--checkpoint', other, '--tokenizer', devnet.model!.tokenizerPath, '--json'], 1);
      expect(r.json!.error.code).toBe('base-mismatch');
      expect(r.json!.error.message).toMatch(
        /the base model files hash to 0x[0-9a-f]{64}, but the contract's model is 0x/,
      );
      expect(r.stderr).toContain('--checkpoint and --tokenizer');
    }, 120_000);

    it('refuses bad flags before reading the chain', async () => {
      const cases: [string[], RegExp][] = [
        [['--lr', '2'], /--lr must be a number in \(0, 1\]/],
        [['--epochs', '0'], /--epochs must be a whole number from 1/],
        [['--backend', 'gpu'], /--backend is one of simd, scalar, native/],
        [
          ['--check', 'x.json', '--epochs', '3'],
          /--check takes the block and the hyper-parameters from the manifest/,
        ],
        [['--checkpoint', 'a.bin'], /give both --checkpoint and --tokenizer/],
      ];
      for (const [args, message] of cases) {
        const r = await teach(args, 2);
        expect(r.stderr).toMatch(message);
      }
    }, 120_000);
  },
);

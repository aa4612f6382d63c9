// The whole flow through the real `tt` binary on a devnet this test starts: prompt → wait → post → rank from two
// accounts → verify → export in every format, then the helpful errors. Texts are checked byte for byte against the
// ResponsePosted events read here directly with ethers, not through @tt/client, so the CLI is checked against the chain.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustAndTeach__factory } from '@tt/contracts';
import { JsonRpcProvider, getBytes, hexlify, toUtf8Bytes, Wallet } from 'ethers';
import { parseTsv } from '@tt/client';
import { devnetAccount } from '@tt/protocol';
import { startTestDevnet, type TestDevnet } from '@tt/devnet/testing';
import { closedPort, e2eSkipReason, tempDir, tt, type TtRun } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.warn(`[tt e2e] SKIPPED: ${skipReason}`);

// Non-ASCII on purpose (accents, an em dash, CJK, an emoji): the prompt must reach the chain and the files unchanged.
const PROMPT = 'Il était une fois — 一个 🐉 dragon';
const SAMPLING = ['--steps', '80', '--temperature', '1.5', '--topp', '1'];

describe.skipIf(skipReason !== null)(
  `tt end to end on a devnet${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let devnet: TestDevnet;
    let work: ReturnType<typeof tempDir>;
    let D: string[];
    let ranked: string; // a conversation ranked by two accounts
    let unranked: string; // posted, nobody ranked it
    let promptRun: TtRun;

    const run = async (args: string[], expectCode = 0) => {
      const r = await tt([...args, ...D]);
      if (r.code !== expectCode) {
        throw new Error(
          `tt ${args.join(' ')} exited ${r.code}, expected ${expectCode}\n${r.stdout}\n${r.stderr}`,
        );
      }
      return r;
    };

    beforeAll(async () => {
      work = tempDir('tt-e2e-out-');
      devnet = await startTestDevnet();
      D = ['--deployments', devnet.deploymentsPath];
    }, 120_000);

    afterAll(async () => {
      await devnet?.stop();
      work?.remove();
    }, 60_000);

    it('prompt --wait prints the ids and both responses', async () => {
      promptRun = await run(['prompt', PROMPT, ...SAMPLING, '--wait', '--json']);
      const j = promptRun.json!;
      expect(j.conversationId).toBe('0');
      expect(j.inputIndex).toBe(0);
      expect(j.responses).toHaveLength(2);
      expect(j.responses[0].textHex).not.toBe(j.responses[1].textHex); // two seeds, two different texts
      ranked = j.conversationId;
      // Human mode names the same two things.
      const human = await run(['prompt', 'Once upon a time', '--steps', '40', '--wait']);
      expect(human.stdout).toMatch(/^conversationId 1$/m);
      expect(human.stdout).toMatch(/^inputIndex 1$/m);
      expect(human.stdout).toMatch(/--- Response A/);
      expect(human.stdout).toMatch(/--- Response B/);
      unranked = '1';
    }, 180_000);

    it('ranking before the responses are posted says to post them', async () => {
      const r = await run(['rank', ranked, '--confirm', '--json'], 1);
      expect(r.json!.error.code).toBe('responses-not-posted');
      expect(r.stderr).toContain(`pnpm tt post ${ranked}`);
    }, 60_000);

    it('status shows the stage before and after posting; post is idempotent', async () => {
      const before = await run(['status', ranked, '--json']);
      expect(['responsesReady', 'proofsReady']).toContain(before.json!.stage);
      expect(before.json!.responses.map((r: any) => r.source)).toEqual(['notice', 'notice']);

      const posted = await run(['post', ranked, '--wait', '--json']);
      expect(posted.json!.vouchers.map((v: any) => v.status)).toEqual(['executed', 'executed']);
      const again = await run(['post', ranked, '--json']);
      expect(again.json!.vouchers.map((v: any) => v.status)).toEqual(['skipped', 'skipped']);
      await run(['post', unranked, '--wait']);

      const after = await run(['status', ranked, '--json']);
      expect(after.json!.stage).toBe('posted');
      // The on-chain texts are the ones the notices announced.
      expect(after.json!.responses.map((r: any) => r.textHex)).toEqual(
        promptRun.json!.responses.map((r: any) => r.textHex),
      );
    }, 180_000);

    it('ranks from two accounts, one Confirm and one Switch (and a third changes their mind)', async () => {
      const a = await run(['rank', ranked, '--confirm', '--account', '1', '--json']);
      expect(a.json).toMatchObject({
        order: [0, 1],
        unchanged: false,
        ranker: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      });
      const b = await run(['rank', ranked, '--switch', '--account', '2', '--json']);
      expect(b.json).toMatchObject({ order: [1, 0], ranker: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' });
      const same = await run(['rank', ranked, '--order', '0,1', '--account', '1', '--json']);
      expect(same.json!.unchanged).toBe(true);
      // A ranker who changes their mind: the dataset keeps only their latest order.
      await run(['rank', ranked, '--confirm', '--account', '3']);
      const changed = await run(['rank', ranked, '--order', '1,0', '--account', '3', '--json']);
      expect(changed.json).toMatchObject({ order: [1, 0], previousOrder: [0, 1], unchanged: false });
      const list = await run(['status', '--json']);
      expect(list.json!.conversations.map((c: any) => [c.conversationId, c.stage, c.rankingCount])).toEqual([
        ['0', 'ranked', 3],
        ['1', 'posted', 0],
      ]);
    }, 120_000);

    it('verify re-runs the model and matches the chain byte for byte', async () => {
      const r = await run(['verify', ranked, '--json']);
      expect(r.json).toMatchObject({ conversationId: ranked, verified: true });
      expect(r.json!.responses.map((x: any) => [x.bytesMatch, x.storedHashMatches, x.modelMatches])).toEqual([
        [true, true, true],
        [true, true, true],
      ]);
      const human = await run(['verify', ranked]);
      expect(human.stdout).toContain('verified — the on-chain texts are exactly what the model produces');
    }, 180_000);

    it('exports TSV, JSON and DPO JSONL that follow each ranker and carry the on-chain bytes', async () => {
      // The chain's own record, read without @tt/client.
      const provider = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
      const contract = TrustAndTeach__factory.connect(devnet.deployments.contracts.TrustAndTeach, provider);
      const logs = await contract.queryFilter(contract.filters.ResponsePosted(BigInt(ranked)));
      const onChain: Uint8Array[] = [];
      for (const l of logs) onChain[Number(l.args.responseIndex)] = getBytes(l.args.text);
      const promptLogs = await contract.queryFilter(contract.filters.PromptSubmitted(BigInt(ranked)));
      expect(hexlify(getBytes(promptLogs[0]!.args.prompt))).toBe(hexlify(toUtf8Bytes(PROMPT)));
      provider.destroy();
      expect(onChain).toHaveLength(2);

      // Exact bytes of a cell: the hex when the text could not carry them, else the text's UTF-8.
      const bytesOf = (text: string, hex: string | null) =>
        hex ? hexlify(getBytes(hex)) : hexlify(toUtf8Bytes(text));
      const expected = (ranker: 1 | 2) =>
        (ranker === 1 ? [onChain[0]!, onChain[1]!] : [onChain[1]!, onChain[0]!]).map((b) => hexlify(b));
      const ACCOUNT1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
      const ACCOUNT3 = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

      const files = Object.fromEntries(
        await Promise.all(
          (['tsv', 'json', 'dpo-jsonl'] as const).map(async (format) => {
            const out = join(work.path, `dataset.${format}`);
            const r = await run(['export', '--format', format, '--out', out, '--json']);
            expect(r.json).toMatchObject({ format, out });
            return [format, readFileSync(out, 'utf8')] as const;
          }),
        ),
      ) as Record<'tsv' | 'json' | 'dpo-jsonl', string>;

      // JSON: an array; the ranked conversation once per ranker, the unranked one marked.
      const json = JSON.parse(files.json) as any[];
      expect(json.map((r) => [r.conversationId, r.ranked, r.ranker])).toEqual([
        [ranked, true, ACCOUNT1],
        [ranked, true, '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'],
        [ranked, true, ACCOUNT3],
        [unranked, false, null],
      ]);
      for (const row of json.slice(0, 3)) {
        const want = expected(row.ranker === ACCOUNT1 ? 1 : 2);
        expect(row.prompt).toBe(PROMPT);
        expect([bytesOf(row.chosen, row.chosenHex), bytesOf(row.rejected, row.rejectedHex)]).toEqual(want);
        expect(row.chosenResponse).toBe(row.ranker === ACCOUNT1 ? 'A' : 'B');
        expect(row.modelHash).toBe(devnet.deployments.model.hash);
        expect(row).toMatchObject({ steps: 80, temperatureMilli: 1500, topPMilli: 1000 });
        expect(row.chosenSeed).toMatch(/^\d+$/);
        expect(row.rankedAt).toBeGreaterThan(0);
      }

      // TSV: same rows, same cells once unescaped.
      const tsv = parseTsv(files.tsv);
      expect(tsv).toHaveLength(4);
      tsv.forEach((row, i) => {
        expect(row.conversationId).toBe(json[i].conversationId);
        expect(row.ranked).toBe(String(json[i].ranked));
        expect(row.prompt).toBe(json[i].prompt);
        expect(bytesOf(row.chosen!, row.chosenHex || null)).toBe(bytesOf(json[i].chosen, json[i].chosenHex));
        expect(bytesOf(row.rejected!, row.rejectedHex || null)).toBe(
          bytesOf(json[i].rejected, json[i].rejectedHex),
        );
      });

      // DPO JSONL: only the three rankings, prompt/chosen/rejected strings plus metadata.
      const dpo = files['dpo-jsonl']
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(dpo).toHaveLength(3);
      dpo.forEach((rec, i) => {
        expect(Object.keys(rec)).toEqual(['prompt', 'chosen', 'rejected', 'metadata']);
        expect(rec.prompt).toBe(PROMPT);
        const want = expected(rec.metadata.ranker === ACCOUNT1 ? 1 : 2);
        expect([
          bytesOf(rec.chosen, rec.metadata.chosenHex),
          bytesOf(rec.rejected, rec.metadata.rejectedHex),
        ]).toEqual(want);
        expect(rec.metadata.conversationId).toBe(json[i].conversationId);
      });
    }, 180_000);

    it('export --verify re-runs every row and marks it verified', async () => {
      const out = join(work.path, 'verified.json');
      const r = await run(['export', '--format', 'json', '--out', out, '--verify', '--json']);
      expect(r.json).toMatchObject({ unverifiedRows: 0, rows: 4 });
      const rows = JSON.parse(readFileSync(out, 'utf8')) as { verified: boolean | null }[];
      expect(rows.map((x) => x.verified)).toEqual([true, true, true, true]);
    }, 180_000);

    it('a prompt with more tokens than steps is refused before sending, with the backend’s own message', async () => {
      const long = 'once upon a time '.repeat(20);
      const before = await run(['status', '--json']);
      const r = await run(['prompt', long, '--steps', '4', '--wait', '--json'], 2);
      expect(r.json!.error.code).toBe('bad-argument');
      expect(r.json!.error.message).toMatch(
        /^the backend would reject this prompt \(prompt-exceeds-context\): the prompt is \d+ tokens \(BOS included\) but the length \(steps\) is 4/,
      );
      expect(r.stderr).toContain('nothing was sent');
      const after = await run(['status', '--json']);
      expect(after.json!.conversations).toHaveLength(before.json!.conversations.length);
      // steps 1 can never be answered: refused as a usage error
      const one = await run(['prompt', 'Hi', '--steps', '1', '--json'], 2);
      expect(one.stderr).toMatch(/--steps must be a whole number from 2/);
    }, 120_000);

    it('a prompt the backend rejects shows its reason, is recorded Rejected on chain by tt post, and exports skip it', async () => {
      // sent past the CLI's own check, straight to the contract, as another client could
      const provider = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
      const key = devnetAccount(3).connect(provider);
      const contract = TrustAndTeach__factory.connect(devnet.deployments.contracts.TrustAndTeach, key);
      await (await contract['sendPrompt(string,uint32)']('once upon a time '.repeat(20), 4)).wait();
      provider.destroy();
      await devnet.settled(60_000);
      const s = await run(['status', '2', '--json']);
      expect(s.json).toMatchObject({
        stage: 'rejected',
        rejection: { code: 'prompt-exceeds-context', recordable: true },
      });
      const human = await run(['status', '2']);
      expect(human.stdout).toContain('next: record the rejection on chain: pnpm tt post 2 --wait');
      const posted = await run(['post', '2', '--wait', '--json']);
      expect(posted.json!.vouchers).toEqual([
        expect.objectContaining({ status: 'executed', responseIndex: null }),
      ]);
      const recorded = await run(['status', '2', '--json']);
      expect(recorded.json).toMatchObject({
        stage: 'rejected',
        rejection: { code: 'prompt-exceeds-context', onChain: true },
      });
      const out = join(work.path, 'after-reject.json');
      const exported = await run(['export', '--format', 'json', '--out', out, '--json']);
      expect(exported.json).toMatchObject({ rejectedConversations: 1, rows: 4 });
    }, 180_000);

    it('posts every ready conversation with --all, and status says how far the signing account is', async () => {
      // --length is the option's name; --steps its older name, still accepted.
      const a = await run(['prompt', 'The cat sat', '--length', '24', '--wait', '--json']);
      const b = await run(['prompt', 'The dog ran', '--steps', '24', '--wait', '--json']);
      expect([a.json!.conversationId, b.json!.conversationId]).toEqual(['3', '4']);
      const both = await tt(['prompt', 'x', '--length', '24', '--steps', '24', ...D]);
      expect(both.code).toBe(2);
      await devnet.settled();
      const before = await run(['status', '--json']);
      expect(before.json!.progress).toMatchObject({ readyToPost: 2, rankedByYou: 1 });
      expect((await run(['status'])).stdout).toMatch(/1 of 4 ranked by you \(account #1\) · 2 ready to post/);

      const all = await run(['post', '--all', '--json']);
      expect(all.json).toMatchObject({ posted: 2, failed: 0, skipped: 0 });
      expect(all.json!.conversations.map((c: any) => c.conversationId)).toEqual(['3', '4']);
      expect(all.stderr).toMatch(/\[1\/2\] conversation 3: posted/);
      const nothing = await run(['post', '--all']);
      expect(nothing.stdout).toContain('nothing to post');

      // --prefer names the better response; the votes show in status
      await run(['rank', '3', '--prefer', 'B', '--account', '1']);
      await run(['rank', '3', '--prefer', 'b', '--account', '2']);
      const three = await run(['status', '3', '--json']);
      expect(three.json!.agreement).toEqual({ preferA: 0, preferB: 2, majority: 'B' });
      expect(three.json!.rankings.map((r: any) => r.prefers)).toEqual(['B', 'B']);
      expect((await run(['status', '3'])).stdout).toContain('rankings: 0 prefer A · 2 prefer B');
    }, 180_000);

    it('takes the running node as the truth for the deployments, reports a stale file, and reads in chunks', async () => {
      // A "repository" whose devnet file is from an earlier chain (another deployment block).
      const repo = tempDir('tt-e2e-repo-');
      try {
        writeFileSync(join(repo.path, 'pnpm-workspace.yaml'), 'packages: []\n');
        mkdirSync(join(repo.path, '.tt', 'devnet'), { recursive: true });
        writeFileSync(
          join(repo.path, '.tt', 'devnet', 'deployments.json'),
          JSON.stringify({ ...devnet.deployments, trustAndTeachDeploymentBlock: 1 }),
        );
        const r = await tt(['status', '--json', '--graphql', devnet.graphqlUrl], { cwd: repo.path });
        expect(r.code).toBe(0);
        expect(r.stderr).toMatch(
          /does not match the running node's .*deployment block 1 vs \d+.*using the node's/,
        );
        expect(r.json!.conversations.length).toBeGreaterThan(0);
      } finally {
        repo.remove();
      }
      // One block per eth_getLogs gives the same dataset as the default range.
      const wide = await run(['export', '--format', 'json']);
      const narrow = await run(['export', '--format', 'json', '--block-range', '1']);
      expect(narrow.stdout).toBe(wide.stdout);
      const bad = await tt(['status', '--block-range', '0', ...D]);
      expect(bad.code).toBe(2);
    }, 120_000);

    it('errors say what to do: unknown conversation, wrong network, insufficient funds, no devnet', async () => {
      const unknown = await run(['status', '99', '--json'], 1);
      expect(unknown.json!.error).toMatchObject({ code: 'unknown-conversation' });
      expect(unknown.stderr).toContain('pnpm tt status');
      const unknownPost = await run(['post', '99'], 1);
      expect(unknownPost.stderr).toContain('there is no conversation 99');

      const wrong = join(work.path, 'wrong-network.json');
      writeFileSync(wrong, JSON.stringify({ ...devnet.deployments, chainId: 11155111, network: 'sepolia' }));
      const w = await tt(['status', '--json', '--deployments', wrong]);
      expect(w.code).toBe(1);
      expect(w.json!.error.code).toBe('wrong-network');
      expect(w.stderr).toMatch(/chain id 31337.*sepolia \(chain id 11155111\)/);

      const broke = await run(
        ['prompt', 'hello', '--private-key', Wallet.createRandom().privateKey, '--json'],
        1,
      );
      expect(broke.json!.error.code).toBe('insufficient-funds');
      expect(broke.stderr).toContain('--account N');
      // The same key from the environment, as scripts pass it.
      const fromEnv = await tt(['prompt', 'hello', '--json', ...D], {
        env: { TT_PRIVATE_KEY: Wallet.createRandom().privateKey },
      });
      expect(fromEnv.json!.error.code).toBe('insufficient-funds');

      const port = await closedPort();
      const down = await tt(['status', '--json', ...D, '--rpc', `http://127.0.0.1:${port}`]);
      expect(down.code).toBe(1);
      expect(down.json!.error.code).toBe('devnet-not-running');
      expect(down.stderr).toContain('pnpm devnet');
      const noNode = await tt(['status', '--json', '--graphql', `http://127.0.0.1:${port}/graphql`]);
      expect(noNode.json!.error.code).toBe('devnet-not-running');
      expect(noNode.stderr).toContain('pnpm devnet');
    }, 120_000);
  },
);

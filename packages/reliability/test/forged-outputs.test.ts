// Forged outputs the node proves and claims (issue 16, finding 1, the client's half). The rollup API now answers only
// its backend (test/end-to-end/attacks.ts), but whoever holds its secret, or a dishonest node, can still list outputs
// of its own for a real input. Here the devnet's backend is the real one behind an insider (fixtures/
// insider-backend.mjs) that adds, to every input, vouchers to another destination, for another conversation, with
// another model hash, with a wrong seed, calls that are not postResponse, garbage, and forged notices; and for one
// prompt a second voucher and notice for response 0 with forged text. @tt/client must choose every output by what it
// decodes to: the forged ones are reported and never executed, the genuine responses still post and verify, and a
// response with two claimants is posted by neither.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, hexlify } from 'ethers';
import {
  buildDatasetRows,
  checkOutputs,
  fetchNodeInput,
  GraphQLClient,
  nodeView,
  postResponses,
  readConversations,
  trustAndTeach,
  TtError,
  verifyConversation,
  type Hex,
  type VoucherOutcome,
} from '@tt/client';
import { loadEngine, type Engine } from '@tt/llm';
import type { Devnet } from '@tt/devnet';
import { startTestDevnet } from '@tt/devnet/testing';
import { emptyStats, recordStats } from '../src/stats.ts';
import { haveModel, modelFiles, modelNote } from '../src/models.ts';
import { account, backendPath, haveBackend, promptSubmitted, ttIface } from '../src/devnet.ts';

const run = haveModel && haveBackend;
const skipNote = !haveBackend ? ` [SKIPPED: no backend at ${backendPath}; run pnpm build]` : modelNote;
const insider = fileURLToPath(new URL('./fixtures/insider-backend.mjs', import.meta.url));
const stats = emptyStats('forged outputs (client)');

let devnet: Devnet;
let engine: Engine;
const logs: string[] = [];

beforeAll(async () => {
  if (!run) return;
  devnet = await startTestDevnet({
    backend: { command: process.execPath, args: [insider], env: { TT_REAL_BACKEND: backendPath } },
    log: (l) => logs.push(l),
  });
  engine = await loadEngine({
    checkpoint: new Uint8Array(readFileSync(modelFiles.checkpoint)),
    tokenizer: new Uint8Array(readFileSync(modelFiles.tokenizer)),
    backend: 'scalar',
  });
});

afterAll(async () => {
  engine?.dispose();
  await devnet?.stop();
  if (stats.tried) recordStats(stats);
});

describe.skipIf(!run)(`forged outputs of real inputs${skipNote}`, () => {
  it('are refused and never executed; the genuine responses post and verify; a contested response is posted by neither', async () => {
    const t0 = Date.now();
    const alice = account(devnet.rpcUrl, 5);
    const tt = new Contract(devnet.deployments.contracts.TrustAndTeach, ttIface, alice.wallet);
    const sent: { conversationId: bigint; inputIndex: number; duplicate: boolean }[] = [];
    for (const [text, duplicate] of [
      ['Once upon a time', false],
      ['The little robot', false],
      ['DUPLICATE: a cat sat', true],
    ] as const) {
      const receipt = await (await tt.getFunction('sendPrompt(string,uint32)')(text, 40)).wait();
      sent.push({ ...promptSubmitted(receipt), duplicate });
    }
    await devnet.settled(120_000);
    expect(logs.filter((l) => /insider: input \d+: injected/.test(l))).toHaveLength(3);

    const graphql = new GraphQLClient(devnet.graphqlUrl);
    const contract = trustAndTeach(devnet.deployments.contracts.TrustAndTeach, alice.wallet);
    const modelHash = (await contract.modelHash()) as Hex;
    const outcomes = new Map<bigint, VoucherOutcome[] | TtError>();
    const chosenNotices: ReturnType<typeof checkOutputs>['notices'][] = [];
    for (const s of sent) {
      // what the node lists: forged outputs first, at the positions the genuine ones used to have
      const raw = nodeView((await fetchNodeInput(graphql, s.inputIndex))!);
      const checked = checkOutputs(raw, {
        trustAndTeach: devnet.deployments.contracts.TrustAndTeach,
        conversationId: s.conversationId,
        modelHash,
        params: { steps: 40, temperatureMilli: 800, topPMilli: 900 },
      });
      const forged = raw.vouchers.length + (raw.allNotices?.length ?? 0) - 4;
      stats.tried += forged;
      expect(raw.vouchers[0]!.destination.toLowerCase()).not.toBe(
        devnet.deployments.contracts.TrustAndTeach.toLowerCase(),
      );
      expect(checked.refused!.length).toBe(s.duplicate ? forged + 2 : forged);
      stats.rejectedAsExpected += s.duplicate ? checked.refused!.length - 2 : checked.refused!.length;
      chosenNotices.push(checked.notices);
      try {
        outcomes.set(
          s.conversationId,
          await postResponses({
            graphql,
            dapp: devnet.deployments.contracts.CartesiDApp,
            trustAndTeach: devnet.deployments.contracts.TrustAndTeach,
            signer: alice.wallet,
            inputIndex: s.inputIndex,
            conversationId: s.conversationId,
          }),
        );
      } catch (err) {
        outcomes.set(s.conversationId, err as TtError);
      }
    }

    // the two clean conversations: both genuine responses executed, every forged voucher refused
    for (const s of sent.filter((x) => !x.duplicate)) {
      const o = outcomes.get(s.conversationId) as VoucherOutcome[];
      expect(Array.isArray(o), String(o)).toBe(true);
      expect(o.filter((x) => x.status === 'executed').map((x) => x.responseIndex)).toEqual([0, 1]);
      expect(o.filter((x) => x.status === 'refused')).toHaveLength(6);
    }
    // the contested one: response 1 posted, response 0 by neither claimant, and the error says why
    const contested = sent.find((x) => x.duplicate)!;
    const err = outcomes.get(contested.conversationId) as TtError;
    expect(err).toBeInstanceOf(TtError);
    expect(err.message).toMatch(/no voucher that posts response 0 .*claiming response 0: none is used/);

    // on chain: no forged text anywhere; every posted text is what the model writes
    const provider = alice.provider;
    const conversations = await readConversations({
      contract: trustAndTeach(devnet.deployments.contracts.TrustAndTeach, provider),
      provider,
      fromBlock: devnet.deployments.trustAndTeachDeploymentBlock,
    });
    for (const c of conversations)
      for (const r of c.responses) if (r) expect(new TextDecoder().decode(r.bytes)).not.toMatch(/FORGED/);
    // and the notices @tt/client chose are the texts that went on chain
    for (const [i, s] of sent.entries()) {
      const c = conversations.find((x) => x.id === s.conversationId)!;
      for (const k of [0, 1] as const)
        if (c.responses[k]) expect(hexlify(c.responses[k]!.bytes)).toBe(hexlify(chosenNotices[i]![k]!.bytes));
    }
    const clean = conversations.filter((c) => c.responses[0] && c.responses[1]);
    expect(clean.map((c) => c.id)).toEqual(sent.filter((x) => !x.duplicate).map((x) => x.conversationId));
    const contestedOnChain = conversations.find((c) => c.id === contested.conversationId)!;
    expect([!!contestedOnChain.responses[0], !!contestedOnChain.responses[1]]).toEqual([false, true]);
    const verified = new Map<string, boolean>();
    for (const c of clean) {
      const v = await verifyConversation(engine, c, modelHash);
      verified.set(c.id.toString(), v.verified);
      expect(v.verified, `conversation ${c.id} verifies`).toBe(true);
    }
    const { rows, incomplete } = buildDatasetRows(conversations, { verified });
    expect(rows.every((r) => r.verified === true)).toBe(true);
    expect(incomplete).toEqual([contested.conversationId.toString()]);
    // the forged texts never even reached the chain's logs
    const forgedHex = hexlify(new TextEncoder().encode('FORGED'));
    const posted = await provider.getLogs({
      address: devnet.deployments.contracts.TrustAndTeach,
      fromBlock: 0,
      toBlock: 'latest',
    });
    expect(posted.some((l) => l.data.includes(forgedHex.slice(2)))).toBe(false);
    stats.accepted = clean.length * 2 + 1;
    stats.durationMs = Date.now() - t0;
    stats.notes = `${stats.tried} forged outputs proven by the node across ${sent.length} inputs, ${stats.rejectedAsExpected} refused by @tt/client, none executed; the 2 claimants of one response both refused`;
    alice.destroy();
  });
});

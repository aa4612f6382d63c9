// Load: prompts from several accounts at once, each processed exactly once in InputBox order, every voucher executed,
// the export (@tt/client) has every conversation with the notices' exact bytes; inspects answered meanwhile.
import { afterAll, describe, expect, it } from 'vitest';
import { Contract, getBytes, hexlify, toUtf8Bytes } from 'ethers';
import {
  buildDatasetRows,
  executeVoucher,
  readConversations,
  trustAndTeach,
  type Hex,
  type VoucherProof,
} from '@tt/client';
import { emptyStats, recordStats } from '../../src/stats.ts';
import {
  account,
  dumpInputs,
  httpRequest,
  inputAddedEvents,
  promptSubmitted,
  reportJson,
  ttIface,
} from '../../src/devnet.ts';
import { strictDecode } from '../../src/oracle.ts';
import {
  LOAD_ACCOUNTS,
  LOAD_PER_ACCOUNT,
  TT,
  backendCrashes,
  devnet,
  env,
  provider,
  run,
  skipNote,
} from './context.ts';

const loadStats = emptyStats('load (several accounts)');
afterAll(() => {
  if (loadStats.tried) recordStats(loadStats);
});

describe.skipIf(!run)(`load${skipNote}`, () => {
  it(`${LOAD_ACCOUNTS} accounts x ${LOAD_PER_ACCOUNT} prompts at once: each processed once, in InputBox order, every voucher executes, the export has every conversation`, async () => {
    const { InputBox, CartesiDApp } = devnet.deployments.contracts;
    const before = (await inputAddedEvents(provider, InputBox, CartesiDApp)).length;
    const users = Array.from({ length: LOAD_ACCOUNTS }, (_, i) => account(devnet.rpcUrl, 6 + i));
    const minedAt = new Map<number, number>();
    const conversationIds: bigint[] = [];
    const t0 = Date.now();
    // readers keep inspecting while the prompts are processed (inspects go ahead of queued advances)
    let loading = true;
    const inspects: Promise<string>[] = [];
    const inspector = (async () => {
      for (let k = 0; loading || k < 5; k++) {
        const path = k % 2 ? 'info' : `junk-${k}`;
        inspects.push(
          httpRequest(`${devnet.inspectUrl}/${path}`)
            .then((r) =>
              r.status === 200 ? reportJson(JSON.parse(r.text).reports[0].payload).type : `HTTP ${r.status}`,
            )
            .catch((e: Error) => `failed: ${e.message} (${String((e as { code?: string }).code)})`),
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await Promise.all(
      users.map(async (u, ui) => {
        const tt = new Contract(TT, ttIface, u.wallet);
        // every account sends its prompts back to back without waiting for the node
        const txs = [];
        for (let k = 0; k < LOAD_PER_ACCOUNT; k++) {
          const prompt = `Account ${ui} prompt ${k}: Once upon a time`;
          txs.push(
            await tt.getFunction('sendPrompt(string,uint32,uint32,uint32)')(
              prompt,
              64 + (k % 8),
              700 + ui,
              900,
            ),
          );
        }
        for (const tx of txs) {
          const ev = promptSubmitted(await tx.wait());
          minedAt.set(ev.inputIndex, Date.now());
          conversationIds.push(ev.conversationId);
        }
      }),
    );
    await devnet.settled(300_000);
    const processedMs = Date.now() - t0;
    loading = false;
    await inspector;
    const answers = await Promise.all(inspects);
    expect(answers.filter((a, k) => a !== (k % 2 ? 'info' : 'error'))).toEqual([]);
    const n = LOAD_ACCOUNTS * LOAD_PER_ACCOUNT;
    loadStats.tried = n;
    loadStats.durationMs = processedMs;

    // exactly once, in InputBox order
    const events = (await inputAddedEvents(provider, InputBox, CartesiDApp)).slice(before);
    expect(events).toHaveLength(n);
    const dump = (await dumpInputs(devnet.graphqlUrl)).slice(before);
    expect(dump.map((d) => d.index)).toEqual(events.map((e) => e.index));
    expect(dump.map((d) => [d.msgSender.toLowerCase(), d.payload])).toEqual(
      events.map((e) => [e.sender, e.payload]),
    );
    for (const e of events) {
      const c = env.processedCount.get(e.index) ?? 0;
      if (c === 0) loadStats.lost++;
      if (c > 1) loadStats.duplicates++;
    }
    const order = events.map((e) => env.processedAt.get(e.index) ?? Infinity);
    for (let i = 1; i < order.length; i++)
      expect(order[i]!, 'processed in InputBox order').toBeGreaterThanOrEqual(order[i - 1]!);
    for (const d of dump) {
      expect(d.status).toBe('ACCEPTED');
      expect([d.notices.totalCount, d.vouchers.totalCount]).toEqual([2, 2]);
      loadStats.accepted++;
    }
    loadStats.longestQueueWaitMs = Math.max(
      ...events.map((e) => (env.processedAt.get(e.index) ?? Infinity) - (minedAt.get(e.index) ?? 0)),
    );

    // every voucher executes (through @tt/client, spread over the accounts)
    const vouchers = dump.flatMap((d) => d.vouchers.edges.map((v) => ({ inputIndex: d.index, v: v.node })));
    await Promise.all(
      users.map(async (u, ui) => {
        for (const [k, x] of vouchers.entries()) {
          if (k % users.length !== ui) continue;
          const r = await executeVoucher({
            dapp: CartesiDApp,
            signer: u.wallet,
            inputIndex: x.inputIndex,
            voucher: {
              index: x.v.index,
              destination: x.v.destination as Hex,
              payload: x.v.payload as Hex,
              proof: x.v.proof as VoucherProof,
            },
          });
          expect(r.status).toBe('executed');
        }
      }),
    );

    // the export has every conversation, with the notices' exact bytes
    const tt = trustAndTeach(TT, provider);
    const conversations = await readConversations({
      contract: tt,
      provider,
      fromBlock: devnet.deployments.trustAndTeachDeploymentBlock,
    });
    const { rows, incomplete } = buildDatasetRows(conversations);
    const exported = new Map(rows.map((r) => [r.conversationId, r]));
    for (const id of conversationIds) {
      const row = exported.get(id.toString());
      if (!row) loadStats.lost++;
      expect(row, `conversation ${id} in the export`).toBeDefined();
    }
    expect(incomplete.filter((id) => conversationIds.some((c) => c.toString() === id))).toEqual([]);
    for (const d of dump) {
      const notices = d.notices.edges.map((e) => reportJson(e.node.payload));
      const row = exported.get(notices[0].conversationId)!;
      expect([row.chosen, row.rejected].map((c) => c.hex ?? hexlify(toUtf8Bytes(c.text)))).toEqual(
        notices.map((x) => x.textHex),
      );
      expect(row.prompt.text).toMatch(/^Account \d+ prompt \d+: Once upon a time$/);
      expect(hexlify(getBytes(strictDecode(d.payload)!.prompt))).toBe(
        row.prompt.hex ?? hexlify(toUtf8Bytes(row.prompt.text)),
      );
    }
    loadStats.crashes = backendCrashes();
    loadStats.notes = `${LOAD_ACCOUNTS} accounts x ${LOAD_PER_ACCOUNT} prompts, 64..71 steps, stories260K; ${answers.length} inspects answered meanwhile; ${vouchers.length} vouchers executed`;
    users.forEach((u) => u.destroy());
    expect(loadStats.lost).toBe(0);
    expect(loadStats.duplicates).toBe(0);
    expect(loadStats.crashes).toBe(0);
  });
});

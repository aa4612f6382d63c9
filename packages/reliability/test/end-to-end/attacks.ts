// The attacks of issue 16, each performed against the running devnet (the real backend, stories260K) the way it was
// first done, and each expected to fail now with nothing lost: the genuine responses still post and verify.
//  1. the rollup API from a stranger: forged vouchers (text/plain from a web page, no or a wrong secret), a stray
//     /finish during generation, DNS rebinding;
//  2. the chain JSON-RPC from web pages: text/plain hardhat_impersonateAccount of the CartesiDApp, then postResponse;
//  3. GraphQL amplification: the nested query that answered 120 MB in 7.7 s, alias floods, a 100,000-level nesting;
//  4. evm_snapshot/evm_revert under the node;
//  7. doomed prompts: steps 1, and 3,000 bytes at the full context (recorded Rejected on chain, left out of exports);
//  8. an inspect body of 1 MiB + 1 byte; a vulnerable ws in the lockfile.
// The forged outputs that reach the node anyway (an insider) are ../forged-outputs.test.ts's.
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, hexlify, toUtf8Bytes } from 'ethers';
import {
  buildDatasetRows,
  GraphQLClient,
  postResponses,
  readConversations,
  trustAndTeach,
  verifyConversation,
  type Hex,
} from '@tt/client';
import { loadEngine, type Engine } from '@tt/llm';
import { deriveSeed, rejectionReasonCode } from '@tt/protocol';
import { emptyStats, recordStats, type SuiteStats } from '../../src/stats.ts';
import { modelFiles, repoRoot } from '../../src/models.ts';
import { account, httpRequest, promptSubmitted, ttIface } from '../../src/devnet.ts';
import { TT, devnet, dumpOne, env, provider, run, skipNote } from './context.ts';

const rollupStats = emptyStats('attack: rollup API from strangers');
const rpcStats = emptyStats('attack: chain RPC from web pages');
const graphqlStats = emptyStats('attack: GraphQL amplification');
const chainStats = emptyStats('attack: snapshot/revert, doomed prompts, 413');
afterAll(() => {
  for (const s of [rollupStats, rpcStats, graphqlStats, chainStats]) if (s.tried) recordStats(s);
});

const EVIL = 'https://evil.example';
const UI = 'http://127.0.0.1:5173';

/** One request with exactly these headers (fetch cannot set Host, and adds headers of its own); POST by default. */
const raw = (
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
) => httpRequest(url, { method: o.method ?? 'POST', headers: o.headers ?? {}, body: o.body });

/** Counts an attempt; `refused` is whether it failed as it must. */
function tally(stats: SuiteStats, what: string, refused: boolean) {
  stats.tried++;
  if (refused) stats.rejectedAsExpected++;
  else stats.unexpected++;
  expect(refused, what).toBe(true);
}

const refusedHttp = (r: { status: number; headers: IncomingHttpHeaders }) =>
  (r.status === 403 || r.status === 415) && r.headers['access-control-allow-origin'] === undefined;

describe.skipIf(!run)(`issue 16's attacks against the running devnet${skipNote}`, () => {
  let engine: Engine;
  let alice: ReturnType<typeof account>;
  let tt: Contract;
  /** Two conversations answered while the attacks ran; posted and verified at the end. */
  const victims: { conversationId: bigint; inputIndex: number }[] = [];

  beforeAll(async () => {
    if (!run) return;
    engine = await loadEngine({
      checkpoint: new Uint8Array(readFileSync(modelFiles.checkpoint)),
      tokenizer: new Uint8Array(readFileSync(modelFiles.tokenizer)),
      backend: 'scalar',
    });
    alice = account(devnet.rpcUrl, 17);
    tt = new Contract(TT, ttIface, alice.wallet);
  });
  afterAll(() => {
    engine?.dispose();
    alice?.destroy();
  });

  it('1. the rollup API refuses forged vouchers and stray finishes from anyone without its secret, during generation, with a second input queued: no output lost, none cross-wired', async () => {
    const t0 = Date.now();
    // prompts at the full context, so the attacks land while the backend generates, with others queued behind
    const seqLen = devnet.deployments.model.seqLen;
    for (const [text, steps] of [
      ['Once upon a time there was a lighthouse', seqLen],
      ['The cat', 48],
      ['A dragon and a teapot', seqLen],
      ['The end', 48],
    ] as const) {
      const receipt = await (await tt.getFunction('sendPrompt(string,uint32)')(text, steps)).wait();
      victims.push(promptSubmitted(receipt));
    }
    const runner = devnet.node.hostRunner;
    const deadline = Date.now() + 60_000;
    while (runner.currentKind !== 'advance' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(runner.currentKind).toBe('advance');
    const [first] = victims;
    const secret = new URL(devnet.rollupUrl).pathname.split('/').pop()!;
    const base = devnet.nodeUrl;
    const forged = JSON.stringify({
      destination: TT,
      payload: ttIface.encodeFunctionData('postResponse', [
        first!.conversationId,
        0,
        toUtf8Bytes('FORGED: text the model never wrote'),
        devnet.deployments.model.hash,
        deriveSeed(first!.conversationId, 0),
        seqLen,
        800,
        900,
      ]),
    });
    const attempts: [string, string, Record<string, string>, string][] = [
      [
        'the issue’s request: text/plain from a web page',
        `${base}/host-runner/voucher`,
        { 'content-type': 'text/plain', origin: EVIL },
        forged,
      ],
      [
        'JSON without the secret',
        `${base}/host-runner/voucher`,
        { 'content-type': 'application/json' },
        forged,
      ],
      [
        'the node’s own prefix without the secret',
        `${base}/rollup/voucher`,
        { 'content-type': 'application/json' },
        forged,
      ],
      [
        'a guessed secret',
        `${base}/host-runner/${'x'.repeat(secret.length)}/voucher`,
        { 'content-type': 'application/json' },
        forged,
      ],
      [
        'a stray finish: reject',
        `${base}/host-runner/finish`,
        { 'content-type': 'application/json' },
        '{"status":"reject"}',
      ],
      [
        'a stray finish with a web page’s origin',
        `${devnet.rollupUrl}/finish`,
        { 'content-type': 'application/json', origin: UI },
        '{"status":"accept"}',
      ],
      [
        'a forged voucher as text/plain even with the secret',
        `${devnet.rollupUrl}/voucher`,
        { 'content-type': 'text/plain' },
        forged,
      ],
      [
        'DNS rebinding with the secret',
        `${devnet.rollupUrl}/voucher`,
        { 'content-type': 'application/json', host: 'evil.example' },
        forged,
      ],
      [
        'a CORS preflight',
        `${devnet.rollupUrl}/voucher`,
        { origin: EVIL, 'access-control-request-method': 'POST' },
        '',
      ],
    ];
    for (const [what, url, headers, body] of attempts) {
      const r = await raw(url, { method: body ? 'POST' : 'OPTIONS', headers, body });
      tally(rollupStats, `${what}: ${r.status} ${r.text.slice(0, 120)}`, refusedHttp(r));
    }
    await devnet.settled(180_000);
    for (const v of victims) {
      const d = (await dumpOne(v.inputIndex))!;
      expect(d.status).toBe('ACCEPTED');
      expect([d.notices.totalCount, d.vouchers.totalCount]).toEqual([2, 2]);
      for (const e of d.notices.edges) {
        const n = JSON.parse(Buffer.from(e.node.payload.slice(2), 'hex').toString());
        // each input's outputs are its own conversation's: nothing cross-wired by a stray finish
        expect([n.conversationId, n.inputIndex]).toEqual([v.conversationId.toString(), v.inputIndex]);
        expect(n.text).not.toMatch(/FORGED/);
      }
    }
    // the secret is the backend's alone: nothing the devnet, its node or its backend logged shows it
    tally(rollupStats, 'the rollup API secret appears in no log', !env.logs.join('\n').includes(secret));
    rollupStats.accepted = victims.length;
    rollupStats.durationMs = Date.now() - t0;
    rollupStats.notes = `${attempts.length} forged requests while inputs ${victims.map((v) => v.inputIndex).join(', ')} were generating or queued: each 403/415, no CORS header; every input kept exactly its own 2 notices + 2 vouchers`;
  });

  it('2. the chain refuses web pages its development methods: no impersonated CartesiDApp, no postResponse without a voucher', async () => {
    const t0 = Date.now();
    const { CartesiDApp } = devnet.deployments.contracts;
    const target = victims[1]!;
    const forgedPost = ttIface.encodeFunctionData('postResponse', [
      target.conversationId,
      0,
      toUtf8Bytes('FORGED by a web page'),
      devnet.deployments.model.hash,
      deriveSeed(target.conversationId, 0),
      48,
      800,
      900,
    ]);
    const rpc = (headers: Record<string, string>, method: string, params: unknown[]) =>
      raw(devnet.rpcUrl, { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const errorOf = (r: { text: string }) => (JSON.parse(r.text) as { error?: { message: string } }).error;
    // the two text/plain requests from another site
    for (const [method, params] of [
      ['hardhat_impersonateAccount', [CartesiDApp]],
      ['eth_sendTransaction', [{ from: CartesiDApp, to: TT, data: forgedPost }]],
    ] as const) {
      const r = await rpc({ 'content-type': 'text/plain', origin: EVIL }, method, [...params]);
      tally(rpcStats, `text/plain ${method} from ${EVIL}: ${r.status}`, refusedHttp(r));
    }
    // the same as JSON, from another site, and through DNS rebinding (no Origin, a foreign Host)
    const other = await rpc(
      { 'content-type': 'application/json', origin: EVIL },
      'hardhat_impersonateAccount',
      [CartesiDApp],
    );
    tally(rpcStats, `JSON from ${EVIL}: ${other.status}`, refusedHttp(other));
    const rebinding = await rpc(
      { 'content-type': 'application/json', host: 'evil.example:8545' },
      'hardhat_impersonateAccount',
      [CartesiDApp],
    );
    tally(rpcStats, `DNS rebinding: ${rebinding.status}`, refusedHttp(rebinding));
    // even the UI's own origin (or a page that takes it over) gets no development method
    for (const [method, params] of [
      ['hardhat_impersonateAccount', [CartesiDApp]],
      ['hardhat_setBalance', [CartesiDApp, '0x1']],
      ['evm_mine', []],
      ['eth_sendTransaction', [{ from: CartesiDApp, to: TT, data: forgedPost }]],
    ] as const) {
      const r = await rpc({ 'content-type': 'application/json', origin: UI }, method, [...params]);
      tally(
        rpcStats,
        `${method} from the UI's origin: ${r.text.slice(0, 160)}`,
        r.status === 200 && !!errorOf(r),
      );
    }
    // nothing was posted: the response slot is still empty, and the genuine voucher still executes later
    const view = new Contract(TT, ttIface, provider);
    tally(
      rpcStats,
      'no response was posted without a voucher',
      (await view.getFunction('responseHash')(target.conversationId, 0)) === `0x${'0'.repeat(64)}`,
    );
    // a local tool (no Origin) keeps every method
    const local = await rpc({ 'content-type': 'application/json' }, 'eth_blockNumber', []);
    expect(errorOf(local)).toBeUndefined();
    rpcStats.durationMs = Date.now() - t0;
    rpcStats.notes =
      'text/plain and foreign origins 403, rebinding Host 403, hardhat_*/evm_*/debug_* and eth_sendTransaction from non-test accounts refused to web pages';
  });

  it('3. GraphQL: the amplifying query, alias floods and deep nesting fail at once with the limit named; the node keeps answering', async () => {
    const t0 = Date.now();
    const post = (query: string) =>
      raw(devnet.graphqlUrl, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
    // the shape of the 7.6 KB query: input → vouchers → input → vouchers …, under many aliases
    let inner = 'index payload';
    for (let i = 0; i < 8; i++)
      inner = `index payload vouchers { edges { node { payload input { ${inner} } } } }`;
    const amplifying = `{ ${Array.from({ length: 14 }, (_, k) => `a${k}: inputs { edges { node { ${inner} } } }`).join(' ')} }`;
    expect(amplifying.length).toBeGreaterThan(7_000);
    const ordinary = await post('{ inputs(last: 20) { totalCount edges { node { index status } } } }');
    expect(ordinary.status).toBe(200);
    const cases: [string, string, string][] = [
      ['the amplifying query', amplifying, 'QUERY_TOO_DEEP'],
      [
        '40 aliases',
        `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: inputs { totalCount }`).join(' ')} }`,
        'TOO_MANY_ALIASES',
      ],
      ['a 100,000-level nesting', `${'{a'.repeat(100_000)}${'}'.repeat(100_000)}`, 'QUERY_TOO_DEEP'],
    ];
    const times: string[] = [];
    for (const [what, query, code] of cases) {
      const [r, health] = await Promise.all([
        post(query),
        raw(`${devnet.nodeUrl}/healthz`, { method: 'GET' }),
      ]);
      const errors =
        (JSON.parse(r.text) as { errors?: { message: string; extensions?: { code?: string } }[] }).errors ??
        [];
      tally(
        graphqlStats,
        `${what}: ${r.text.slice(0, 200)}`,
        errors.length >= 1 && errors[0]!.extensions?.code === code && errors[0]!.message.length > 20,
      );
      expect(health.status).toBe(200);
      times.push(`${what} ${(r.ms / ordinary.ms).toFixed(1)}× an ordinary query`);
    }
    const malformed = await post('{ inputs { edges { node { index } }');
    const m = (JSON.parse(malformed.text) as { errors: { message: string }[] }).errors;
    tally(graphqlStats, `a malformed query: ${malformed.text}`, /^Syntax Error: /.test(m[0]?.message ?? ''));
    graphqlStats.durationMs = Date.now() - t0;
    // figures, not assertions (speed lives in benchmarks): how long a refusal took against an ordinary query here
    graphqlStats.notes = `refused in: ${times.join('; ')} (ordinary ${ordinary.ms.toFixed(1)} ms)`;
  });

  it('4. evm_snapshot and evm_revert are refused; the next prompt gets the next id and its own outputs', async () => {
    const rpc = (method: string, params: unknown[]) =>
      raw(devnet.rpcUrl, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
    const head = await provider.getBlockNumber();
    for (const [method, params] of [
      ['evm_snapshot', []],
      ['evm_revert', ['0x1']],
    ] as const) {
      const r = JSON.parse((await rpc(method, [...params])).text) as { error?: { message: string } };
      tally(
        chainStats,
        `${method}: ${JSON.stringify(r)}`,
        /not supported by the devnet/.test(r.error?.message ?? ''),
      );
    }
    expect(await provider.getBlockNumber()).toBe(head);
    const count = (await new Contract(TT, ttIface, provider).getFunction('conversationCount')()) as bigint;
    const receipt = await (await tt.getFunction('sendPrompt(string,uint32)')('After the revert', 40)).wait();
    const next = promptSubmitted(receipt);
    expect(next.conversationId).toBe(count);
    await devnet.settled(120_000);
    const d = (await dumpOne(next.inputIndex))!;
    const notice = JSON.parse(Buffer.from(d.notices.edges[0]!.node.payload.slice(2), 'hex').toString());
    expect([notice.conversationId, notice.inputIndex]).toEqual([
      next.conversationId.toString(),
      next.inputIndex,
    ]);
    expect(devnet.node.pipeline.lastError).toBeNull();
  });

  it('7. doomed prompts: steps 1 is refused by the contract; 3,000 bytes at the full context end Rejected on chain and out of the export', async () => {
    const send = tt.getFunction('sendPrompt(string,uint32)');
    const one = await send.staticCall('Hi', 1).then(
      () => 'accepted',
      (e: { data?: string }) => (e.data ? ttIface.parseError(e.data)?.name : String(e)),
    );
    tally(chainStats, `steps 1: ${one}`, one === 'StepsOutOfRange');
    const seqLen = devnet.deployments.model.seqLen;
    const long = 'Once upon a time, in a land far away, '.repeat(80).slice(0, 3000);
    const receipt = await (await send(long, seqLen)).wait();
    const doomed = promptSubmitted(receipt);
    await devnet.settled(120_000);
    const d = (await dumpOne(doomed.inputIndex))!;
    const report = JSON.parse(Buffer.from(d.reports.edges[0]!.node.payload.slice(2), 'hex').toString());
    expect(report).toMatchObject({ type: 'error', code: 'prompt-exceeds-context' });
    // the rejection voucher, posted like a response by the same client workflow
    const outcomes = await postResponses({
      graphql: new GraphQLClient(devnet.graphqlUrl),
      dapp: devnet.deployments.contracts.CartesiDApp,
      trustAndTeach: TT,
      signer: alice.wallet,
      inputIndex: doomed.inputIndex,
      conversationId: doomed.conversationId,
    });
    expect(outcomes.map((o) => [o.status, o.responseIndex])).toEqual([['executed', undefined]]);
    const view = await new Contract(TT, ttIface, provider).getFunction('getConversation')(
      doomed.conversationId,
    );
    tally(
      chainStats,
      `status ${view.status}, reason ${view.rejectionReason}`,
      Number(view.status) === 4 &&
        Number(view.rejectionReason) === rejectionReasonCode('prompt-exceeds-context'),
    );
    const conversations = await readConversations({
      contract: trustAndTeach(TT, provider),
      provider,
      fromBlock: devnet.deployments.trustAndTeachDeploymentBlock,
    });
    const { rejected, rows } = buildDatasetRows(conversations);
    tally(
      chainStats,
      'left out of the export, and counted',
      rejected.includes(doomed.conversationId.toString()),
    );
    expect(rows.some((r) => r.conversationId === doomed.conversationId.toString())).toBe(false);
  });

  it('8. an inspect body of 1 MiB + 1 byte gets 413, 1 MiB an answer; no ws below 8.17.1 in the lockfile', async () => {
    const over = await raw(devnet.inspectUrl, { body: new Uint8Array(1024 * 1024 + 1) });
    tally(
      chainStats,
      `1 MiB + 1 byte: ${over.status} ${over.text}`,
      over.status === 413 && /1048576 bytes/.test(over.text),
    );
    const fits = await raw(devnet.inspectUrl, { body: new Uint8Array(1024 * 1024) });
    expect(fits.status).toBe(200);
    const lock = readFileSync(join(repoRoot, 'pnpm-lock.yaml'), 'utf8');
    const versions = [...lock.matchAll(/^ {2}ws@(\d+)\.(\d+)\.(\d+):/gm)].map((m) => m.slice(1).map(Number));
    expect(versions.length).toBeGreaterThan(0);
    // CVE-2024-37890 is fixed in 8.17.1, 7.5.10, 6.2.3 and 5.2.4 (GHSA-3h5v-q93c-6h6q)
    const fixed: Record<number, [number, number]> = { 8: [17, 1], 7: [5, 10], 6: [2, 3], 5: [2, 4] };
    const vulnerable = versions.filter(([a, b, c]) => {
      const f = fixed[a!];
      return !f || b! < f[0] || (b === f[0] && c! < f[1]);
    });
    tally(
      chainStats,
      `ws in the lockfile: ${versions.map((v) => v.join('.')).join(', ')} (vulnerable: ${vulnerable.map((v) => v.join('.')).join(', ') || 'none'})`,
      vulnerable.length === 0,
    );
  });

  it('the genuine responses of the attacked conversations still post and verify', async () => {
    const graphql = new GraphQLClient(devnet.graphqlUrl);
    for (const v of victims) {
      const outcomes = await postResponses({
        graphql,
        dapp: devnet.deployments.contracts.CartesiDApp,
        trustAndTeach: TT,
        signer: alice.wallet,
        inputIndex: v.inputIndex,
        conversationId: v.conversationId,
      });
      expect(outcomes.map((o) => [o.status, o.responseIndex])).toEqual([
        ['executed', 0],
        ['executed', 1],
      ]);
    }
    const conversations = await readConversations({
      contract: trustAndTeach(TT, provider),
      provider,
      fromBlock: devnet.deployments.trustAndTeachDeploymentBlock,
      ids: victims.map((v) => v.conversationId),
    });
    const modelHash = devnet.deployments.model.hash as Hex;
    for (const c of conversations) {
      const r = await verifyConversation(engine, c, modelHash);
      expect(r.verified, `conversation ${c.id}`).toBe(true);
      for (const p of c.responses)
        expect(hexlify(p!.bytes)).not.toContain(hexlify(toUtf8Bytes('FORGED')).slice(2));
    }
  });
});

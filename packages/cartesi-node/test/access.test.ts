// Who may call the chain and the node (src/http/access.ts), each rule tried the way an attacker would: a web page
// (Origin header, text/plain bodies that need no preflight), a DNS-rebinding page (a foreign Host header), a local
// process without the rollup API's secret. Each attack must fail and change nothing; the genuine calls still work.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexText, startEchoNode, user, type TestNode } from './helpers.js';

let node: TestNode;
let alice: Awaited<ReturnType<typeof user>>;
const UI = 'http://127.0.0.1:5173';
const EVIL = 'https://evil.example';

/** A raw HTTP request: fetch cannot set Host, and sends no Sec-Fetch-Site. */
function raw(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const json = (x: unknown) => JSON.stringify(x);
const rpcBody = (method: string, params: unknown[] = []) => json({ jsonrpc: '2.0', id: 1, method, params });

beforeAll(async () => {
  node = await startEchoNode();
  alice = await user(node, 1);
}, 60_000);

afterAll(async () => {
  alice?.destroy();
  await node?.stop();
});

describe('the rollup API answers only the backend it was handed to', () => {
  it('puts a random per-run secret in the rollup URL', () => {
    const secret = node.rollupUrl.slice(`${node.nodeUrl}/host-runner/`.length);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('a forged voucher and finish during an input (no or wrong secret, text/plain, a web page, a foreign Host) are refused; the input keeps exactly its own outputs', async () => {
    // the echo backend sleeps 1.5 s inside this input before answering: the attacks land while it is in flight
    const inputIndex = Number(await alice.inputBox.getNumberOfInputs(node.contracts.CartesiDApp));
    await alice.addInput('sleep:1500:genuine');
    const deadline = Date.now() + 10_000;
    while (node.node.hostRunner.currentKind !== 'advance' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(node.node.hostRunner.currentKind).toBe('advance');
    const secret = node.rollupUrl.slice(`${node.nodeUrl}/host-runner/`.length);
    const forged = json({ destination: alice.address, payload: hexText('forged') });
    const attempts: [string, string, Record<string, string>, string][] = [
      ['no secret', `${node.nodeUrl}/host-runner/voucher`, { 'content-type': 'application/json' }, forged],
      [
        'no secret, old prefix',
        `${node.nodeUrl}/rollup/voucher`,
        { 'content-type': 'application/json' },
        forged,
      ],
      [
        'wrong secret',
        `${node.nodeUrl}/host-runner/${'A'.repeat(32)}/voucher`,
        { 'content-type': 'application/json' },
        forged,
      ],
      [
        'secret of another length',
        `${node.nodeUrl}/host-runner/${secret}x/voucher`,
        { 'content-type': 'application/json' },
        forged,
      ],
      [
        'a stray finish',
        `${node.nodeUrl}/host-runner/finish`,
        { 'content-type': 'application/json' },
        json({ status: 'reject' }),
      ],
      [
        'text/plain from a web page',
        `${node.rollupUrl}/voucher`,
        { 'content-type': 'text/plain', origin: EVIL },
        forged,
      ],
      [
        'the UI origin',
        `${node.rollupUrl}/finish`,
        { 'content-type': 'application/json', origin: UI },
        json({ status: 'reject' }),
      ],
      [
        'DNS rebinding',
        `${node.rollupUrl}/voucher`,
        { 'content-type': 'application/json', host: 'evil.example:8080' },
        forged,
      ],
      ['text/plain with the secret', `${node.rollupUrl}/voucher`, { 'content-type': 'text/plain' }, forged],
      ['no content type with the secret', `${node.rollupUrl}/finish`, {}, json({ status: 'reject' })],
    ];
    for (const [what, url, headers, body] of attempts) {
      const r = await raw(url, { method: 'POST', headers, body });
      expect([403, 415], `${what}: ${r.status} ${r.text}`).toContain(r.status);
      expect(r.headers['access-control-allow-origin'], what).toBeUndefined();
    }
    // a preflight to the rollup API gets no CORS answer either
    const pre = await raw(`${node.rollupUrl}/voucher`, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();

    await node.settled();
    const r = await fetch(node.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({
        query: `{ input(index: ${inputIndex}) { status vouchers { edges { node { payload } } } notices { edges { node { payload } } } } }`,
      }),
    });
    const input = ((await r.json()) as any).data.input;
    expect(input.status).toBe('ACCEPTED');
    // the echo backend echoes the whole payload: one voucher, one notice, nothing forged
    const genuine = hexText('sleep:1500:genuine');
    expect(input.vouchers.edges.map((e: any) => e.node.payload)).toEqual([genuine]);
    expect(input.notices.edges.map((e: any) => e.node.payload)).toEqual([genuine]);
  });
});

describe("the node's reader, inspect and files", () => {
  it('give CORS headers to the UI origin only, and refuse other web pages and rebinding hosts', async () => {
    const ok = await raw(node.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(ok.headers['vary']).toBe('Origin');
    for (const [what, headers] of [
      ['another origin', { origin: EVIL }],
      ['an opaque origin', { origin: 'null' }],
      ['a cross-site request without Origin (an <img>)', { 'sec-fetch-site': 'cross-site' }],
      ['a rebinding host', { host: 'evil.example' }],
    ] as const) {
      const r = await raw(`${node.inspectUrl}/info`, { headers });
      expect(r.status, what).toBe(403);
      expect(r.headers['access-control-allow-origin'], what).toBeUndefined();
    }
    // a local tool (no Origin) and the node's own GraphQL page (its own origin) are fine
    expect((await raw(`${node.nodeUrl}/healthz`)).status).toBe(200);
    const own = new URL(node.nodeUrl).origin;
    const page = await raw(node.graphqlUrl, {
      method: 'POST',
      headers: { origin: own, 'content-type': 'application/json' },
      body: json({ query: '{ inputs { totalCount } }' }),
    });
    expect(page.status).toBe(200);
    expect(page.headers['access-control-allow-origin']).toBe(own);
    // GraphQL takes JSON only (a text/plain POST is what a page can send without a preflight)
    const plain = await raw(node.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: json({ query: '{ inputs { totalCount } }' }),
    });
    expect(plain.status).toBe(415);
  });

  it('answers an inspect POST of 1 MiB + 1 byte with 413, and one of 1 MiB with the backend’s report', async () => {
    const big = await fetch(node.inspectUrl, { method: 'POST', body: new Uint8Array(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(await big.text()).toMatch(/larger than 1048576 bytes/);
    const fits = await fetch(node.inspectUrl, { method: 'POST', body: new Uint8Array(1024 * 1024) });
    expect(fits.status).toBe(200);
    expect(((await fits.json()) as { reports: unknown[] }).reports).toHaveLength(1);
  });
});

describe('the chain JSON-RPC', () => {
  const rpc = (headers: Record<string, string>, body: string) =>
    raw(node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it("refuses text/plain bodies, other origins and rebinding hosts, and Hardhat's development methods from any web page", async () => {
    const dapp = node.contracts.CartesiDApp;
    expect((await rpc({ 'content-type': 'text/plain' }, rpcBody('eth_chainId'))).status).toBe(415);
    expect((await rpc({ origin: EVIL }, rpcBody('hardhat_impersonateAccount', [dapp]))).status).toBe(403);
    expect((await rpc({ host: 'evil.example:8545' }, rpcBody('eth_chainId'))).status).toBe(403);
    // the UI's origin (and a wallet extension's) may read and send, but not use the development methods
    for (const origin of [UI, 'chrome-extension://nkbihfbeogaeaoehlefnkodbefgpgknn']) {
      const chainId = JSON.parse((await rpc({ origin }, rpcBody('eth_chainId'))).text);
      expect(chainId.result).toBe('0x7a69');
      for (const [method, params] of [
        ['hardhat_impersonateAccount', [dapp]],
        ['hardhat_setBalance', [dapp, '0x1']],
        ['evm_mine', []],
        ['evm_increaseTime', [1]],
        ['debug_traceTransaction', ['0x' + '0'.repeat(64)]],
      ] as const) {
        const r = JSON.parse((await rpc({ origin }, rpcBody(method, [...params]))).text);
        expect(r.error?.message, `${origin} ${method}`).toMatch(/not available to web pages/);
      }
    }
    // nothing was impersonated: the DApp cannot send
    const sent = JSON.parse(
      (await rpc({}, rpcBody('eth_sendTransaction', [{ from: dapp, to: alice.address }]))).text,
    );
    expect(sent.error?.message).toMatch(/unknown account|not.*(unlocked|impersonat)/i);
  });

  it('lets local tools (no Origin) use the development methods, but not to send from an impersonated account via a web page', async () => {
    const before = await alice.provider.getBlockNumber();
    expect(JSON.parse((await rpc({}, rpcBody('evm_mine'))).text).error).toBeUndefined();
    expect(await alice.provider.getBlockNumber()).toBe(before + 1);
    // a local test impersonates an account; a web page still cannot send from it
    const someone = '0x000000000000000000000000000000000000dEaD';
    await rpc({}, rpcBody('hardhat_impersonateAccount', [someone]));
    await rpc({}, rpcBody('hardhat_setBalance', [someone, '0x56BC75E2D63100000']));
    const fromPage = JSON.parse(
      (await rpc({ origin: UI }, rpcBody('eth_sendTransaction', [{ from: someone, to: alice.address }])))
        .text,
    );
    expect(fromPage.error?.message).toMatch(/only from the devnet test accounts/);
    await rpc({}, rpcBody('hardhat_stopImpersonatingAccount', [someone]));
  });

  it('refuses evm_snapshot and evm_revert from everyone, saying why and what to use instead', async () => {
    for (const method of ['evm_snapshot', 'evm_revert']) {
      const r = JSON.parse((await rpc({}, rpcBody(method, method === 'evm_revert' ? ['0x1'] : []))).text);
      expect(r.error?.message).toMatch(/not supported by the devnet.*throwaway devnet/);
    }
  });

  it('answers a body over 16 MiB with 413', async () => {
    const r = await rpc(
      {},
      json({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: ['x'.repeat(17 << 20)] }),
    );
    expect(r.status).toBe(413);
  });
});

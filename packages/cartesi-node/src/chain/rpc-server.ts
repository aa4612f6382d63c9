// JSON-RPC over HTTP in front of an EIP-1193 provider: what wallets, ethers and the CLI talk to.
// Local tools (no Origin header) may call every method, Hardhat's development ones included (tests mine blocks and
// impersonate accounts). Web pages may call only from an allowed origin (the UI, or a wallet extension), only with
// JSON bodies, and never the development methods: one `hardhat_impersonateAccount` of the CartesiDApp would let any
// page post text the model never wrote.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admit, isJsonRequest, setCors, type AccessPolicy } from '../http/access.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import type { Eip1193Provider } from './hardhat.js';

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** A transaction of ~2 MiB of calldata (the InputBox's limit) is 4 MiB of hex, signed or not. */
const MAX_BODY = 16 * 1024 * 1024;
/** Methods that rewrite the chain's rules: for local tools only. */
const DEV_METHOD = /^(hardhat|evm|debug)_/;

function toRpcError(e: unknown): { code: number; message: string; data?: unknown } {
  const err = e as { code?: unknown; message?: unknown; data?: unknown };
  const code = typeof err.code === 'number' ? err.code : -32603;
  const message = typeof err.message === 'string' ? err.message : String(e);
  return err.data !== undefined ? { code, message, data: err.data } : { code, message };
}

/** Why a web page may not make this call, or null. */
async function webPageRefusal(
  req: JsonRpcRequest,
  accounts: () => Promise<string[]>,
): Promise<string | null> {
  const method = req.method as string;
  if (DEV_METHOD.test(method))
    return `${method} is not available to web pages (requests with an Origin header): the devnet's development methods are for local tools only`;
  if (method === 'eth_sendTransaction') {
    // unsigned transactions only from the funded test accounts (public keys anyway), never from an impersonated one
    const from = (Array.isArray(req.params) ? (req.params[0] as { from?: unknown }) : undefined)?.from;
    const mine = await accounts();
    if (typeof from !== 'string' || !mine.includes(from.toLowerCase()))
      return 'eth_sendTransaction from web pages is accepted only from the devnet test accounts: sign the transaction in your wallet (eth_sendRawTransaction)';
  }
  return null;
}

async function handleOne(
  provider: Eip1193Provider,
  req: JsonRpcRequest,
  fromWebPage: boolean,
  accounts: () => Promise<string[]>,
) {
  const id = req?.id ?? null;
  if (typeof req?.method !== 'string')
    return {
      jsonrpc: '2.0',
      id,
      error: { code: -32600, message: 'invalid request: method must be a string' },
    };
  if (fromWebPage) {
    const refusal = await webPageRefusal(req, accounts);
    if (refusal) return { jsonrpc: '2.0', id, error: { code: -32601, message: refusal } };
  }
  try {
    const result = await provider.request({ method: req.method, params: (req.params as unknown[]) ?? [] });
    return { jsonrpc: '2.0', id, result: result ?? null };
  } catch (e) {
    return { jsonrpc: '2.0', id, error: toRpcError(e) };
  }
}

function rpcError(res: ServerResponse, status: number, code: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}

export async function startRpcServer(
  provider: Eip1193Provider,
  host: string,
  port: number,
  access: AccessPolicy,
): Promise<{ server: Server; url: string }> {
  let accountList: Promise<string[]> | null = null;
  const accounts = () =>
    (accountList ??= (provider.request({ method: 'eth_accounts' }) as Promise<string[]>).then((a) =>
      a.map((x) => x.toLowerCase()),
    ));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const admission = admit(req, access, 'the devnet chain');
    if (!admission.ok) return rpcError(res, admission.status, -32000, admission.message);
    const fromWebPage = admission.origin !== undefined;
    if (fromWebPage) setCors(res, admission.origin!);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(
        'Trust-and-Teach devnet chain (Hardhat, chain id 31337): send JSON-RPC requests with POST.\n',
      );
    }
    if (!isJsonRequest(req))
      return rpcError(res, 415, -32700, 'JSON-RPC requests must be sent as content-type: application/json');
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, MAX_BODY)).toString('utf8'));
    } catch (e) {
      if (e instanceof BodyTooLargeError) return rpcError(res, 413, -32600, e.message);
      return rpcError(res, 200, -32700, 'parse error: the body is not JSON');
    }
    const out = Array.isArray(body)
      ? await Promise.all(body.map((r) => handleOne(provider, r as JsonRpcRequest, fromWebPage, accounts)))
      : await handleOne(provider, body as JsonRpcRequest, fromWebPage, accounts);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.end();
      rpcError(res, 500, -32603, `internal error: ${(e as Error).message}`);
    });
  });
  // Idle keep-alive sockets stay open longer than clients' own idle timers (Node's agent: 5 s), so a client never
  // sends a request on a socket the server is closing at that moment (ECONNRESET / socket hang up).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return { server, url: `http://${host}:${addr.port}` };
}

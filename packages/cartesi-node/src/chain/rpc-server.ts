// JSON-RPC over HTTP in front of an EIP-1193 provider: what wallets, ethers and the CLI talk to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Eip1193Provider } from './hardhat.js';

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

function toRpcError(e: unknown): { code: number; message: string; data?: unknown } {
  const err = e as { code?: unknown; message?: unknown; data?: unknown };
  const code = typeof err.code === 'number' ? err.code : -32603;
  const message = typeof err.message === 'string' ? err.message : String(e);
  return err.data !== undefined ? { code, message, data: err.data } : { code, message };
}

async function handleOne(provider: Eip1193Provider, req: JsonRpcRequest) {
  const id = req.id ?? null;
  if (typeof req.method !== 'string')
    return {
      jsonrpc: '2.0',
      id,
      error: { code: -32600, message: 'invalid request: method must be a string' },
    };
  try {
    const result = await provider.request({ method: req.method, params: (req.params as unknown[]) ?? [] });
    return { jsonrpc: '2.0', id, result: result ?? null };
  } catch (e) {
    return { jsonrpc: '2.0', id, error: toRpcError(e) };
  }
}

function cors(res: ServerResponse) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', '*');
}

export async function startRpcServer(
  provider: Eip1193Provider,
  host: string,
  port: number,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    cors(res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(
        'Trust-and-Teach devnet chain (Hardhat, chain id 31337): send JSON-RPC requests with POST.\n',
      );
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: null,
            error: { code: -32700, message: 'parse error: the body is not JSON' },
          }),
        );
      }
      const out = Array.isArray(body)
        ? await Promise.all(body.map((r) => handleOne(provider, r as JsonRpcRequest)))
        : await handleOne(provider, body as JsonRpcRequest);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)));
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

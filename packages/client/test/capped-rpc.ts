// A JSON-RPC proxy in front of a real chain that behaves like a public RPC: it refuses eth_getLogs over more than
// `maxRange` blocks (with the message such RPCs use) and records every eth_getLogs range it was asked for.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface RpcRequest {
  id?: unknown;
  method?: string;
  params?: { fromBlock?: string; toBlock?: string }[];
}

export interface CappedRpc {
  url: string;
  /** [fromBlock, toBlock] of every eth_getLogs that was answered, in order. */
  served: [number, number][];
  /** How many eth_getLogs were refused as too large. */
  refused: number;
  close(): Promise<void>;
}

export async function startCappedRpc(upstream: string, maxRange: number): Promise<CappedRpc> {
  const served: [number, number][] = [];
  const state = { refused: 0 };
  const one = async (req: RpcRequest): Promise<unknown> => {
    if (req.method === 'eth_getLogs') {
      const f = req.params?.[0] ?? {};
      const from = Number(f.fromBlock);
      const to = Number(f.toBlock);
      if (to - from + 1 > maxRange) {
        state.refused++;
        return {
          jsonrpc: '2.0',
          id: req.id,
          error: { code: -32005, message: `query exceeds max block range ${maxRange}` },
        };
      }
      served.push([from, to]);
    }
    const res = await fetch(upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(req),
    });
    return res.json();
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RpcRequest | RpcRequest[];
      const out = Array.isArray(body) ? await Promise.all(body.map(one)) : await one(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

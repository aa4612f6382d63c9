// A pass-through HTTP proxy between the backend and the devnet's rollup API that keeps every /finish answer the node
// gave: the exact requests (metadata and payload) the node handed the backend, to hand the machine the same batch.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** the parsed bodies of the node's 200 answers to /finish, in order */
  requests: unknown[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const base = new URL(target);
  const requests: unknown[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = base.pathname.replace(/\/+$/, '') + (req.url ?? '/');
      const fwd = http.request(
        {
          host: base.hostname,
          port: base.port,
          path,
          method: req.method,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
          agent: false,
        },
        (up) => {
          const back: Buffer[] = [];
          up.on('data', (c: Buffer) => back.push(c));
          up.on('end', () => {
            const text = Buffer.concat(back);
            if (req.url === '/finish' && up.statusCode === 200)
              requests.push(JSON.parse(text.toString('utf8')));
            res.writeHead(up.statusCode ?? 502, {
              'content-type': up.headers['content-type'] ?? 'text/plain',
            });
            res.end(text);
          });
        },
      );
      fwd.on('error', (e) => {
        res.writeHead(502);
        res.end(e.message);
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

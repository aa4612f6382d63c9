// A minimal JSON POST over node:http. Not fetch: undici's fetch gives up on a response whose headers take longer than
// 300 s, and inside the Cartesi machine /finish legitimately blocks until the next input arrives, however long that is.
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  body: string;
}

export function postJson(url: string, body: unknown, signal?: AbortSignal): Promise<HttpResponse> {
  const target = new URL(url);
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': data.length },
        // A fresh connection per request: a kept-alive socket can be closed by the server's keep-alive timeout while
        // this process is busy for seconds (decoding a 2 MiB input, running the model) and cannot notice; the next
        // request on it then fails with "socket hang up" and a rejection's report became an internal-error.
        agent: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

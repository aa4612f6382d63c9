// Regression test for a defect the 2 MiB bad-input case found: the backend's rollup HTTP client reused a keep-alive
// socket that the rollup server had already closed (its keep-alive timeout ran out while the backend was busy for
// seconds decoding a 2 MiB payload, so the client never saw the close), and the report that should have said
// "prompt-too-long" failed with "socket hang up" / ECONNRESET and became an internal-error.
// The server here closes idle sockets after about 3 s, like the devnet's node (Node's default 5 s) or any HTTP server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postJson } from '@tt/dapp/rollup/http';

// The server runs in its own process, so it keeps its clock while this process is busy.
const SERVER = `
const s = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"index":0}'));
});
s.keepAliveTimeout = 2000; // Node closes about 1 s after this
s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
let server: ChildProcess;
let url: string;
beforeAll(async () => {
  server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((r) => createInterface({ input: server.stdout! }).once('line', r));
  url = `http://127.0.0.1:${port}/report`;
});
afterAll(() => {
  server.kill('SIGKILL');
});

function busy(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* the backend decoding a huge payload: the event loop does not run */
  }
}

it('a request after the event loop was blocked past the server keep-alive timeout still succeeds', async () => {
  expect((await postJson(url, { payload: '0x01' })).status).toBe(200);
  for (let i = 0; i < 2; i++) {
    busy(4000); // the server closes the idle socket meanwhile; the client cannot notice
    const r = await postJson(url, { payload: '0x02' });
    expect(r.status).toBe(200);
  }
});

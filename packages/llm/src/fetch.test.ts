// The download code against a local HTTP server: a whole download, a resume after an interrupted one (HTTP Range),
// a wrong hash, an unreachable host, and fetchModel end to end when the real model files are at hand.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadFile, fetchModel, type DownloadSpec, type FetchProgress } from './fetch.ts';

const body = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
const sha = createHash('sha256').update(body).digest('hex');

interface Served {
  bytes: Uint8Array;
  /** Close the connection after this many bytes of the next response (then serve normally). */
  cutAfter?: number;
}
const files = new Map<string, Served>();
const requests: { url: string; range: string | undefined }[] = [];
let server: Server;
let base: string;

function handle(req: IncomingMessage, res: import('node:http').ServerResponse): void {
  requests.push({ url: req.url ?? '', range: req.headers.range });
  const f = files.get(req.url ?? '');
  if (!f) {
    res.writeHead(404).end();
    return;
  }
  let start = 0;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m) start = Number(m[1]);
  if (start >= f.bytes.length) {
    res.writeHead(416).end();
    return;
  }
  const part = f.bytes.subarray(start);
  res.writeHead(m ? 206 : 200, {
    'content-length': String(part.length),
    ...(m ? { 'content-range': `bytes ${start}-${f.bytes.length - 1}/${f.bytes.length}` } : {}),
  });
  if (f.cutAfter !== undefined) {
    const cut = f.cutAfter;
    f.cutAfter = undefined;
    res.write(part.subarray(0, cut), () => res.destroy());
    return;
  }
  res.end(part);
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r())); // port 0: a free port
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const tmp = () => mkdtempSync(join(tmpdir(), 'tt-llm-fetch-'));
const spec = (path: string, over: Partial<DownloadSpec> = {}): DownloadSpec => ({
  fileName: 'model.bin',
  url: base + path,
  size: body.length,
  sha256: sha,
  ...over,
});

describe('downloadFile', () => {
  it('downloads, reports progress and checks size and sha256', async () => {
    files.set('/whole', { bytes: body });
    const dir = tmp();
    const seen: FetchProgress[] = [];
    const path = await downloadFile(spec('/whole'), dir, (p) => seen.push(p));
    expect(new Uint8Array(readFileSync(path))).toEqual(body);
    expect(seen.at(-1)).toEqual({ fileName: 'model.bin', received: body.length, total: body.length });
    expect(existsSync(`${path}.part`)).toBe(false);
  });

  it('resumes an interrupted download with an HTTP Range request', async () => {
    files.set('/flaky', { bytes: body, cutAfter: 100_000 });
    const dir = tmp();
    const err = await downloadFile(spec('/flaky'), dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/interrupted|incomplete/);
    expect((err as Error).message).toMatch(/again to resume/);
    const partial = readFileSync(join(dir, 'model.bin.part')).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(body.length);
    requests.length = 0;
    const path = await downloadFile(spec('/flaky'), dir);
    expect(requests).toEqual([{ url: '/flaky', range: `bytes=${partial}-` }]);
    expect(new Uint8Array(readFileSync(path))).toEqual(body);
  });

  it('rejects and deletes a file with the wrong sha256', async () => {
    const wrong = body.slice();
    wrong[1234] = (wrong[1234]! + 1) % 256;
    files.set('/wrong', { bytes: wrong });
    const dir = tmp();
    const err = await downloadFile(spec('/wrong'), dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/does not match the pinned file/);
    expect((err as Error).message).toContain(sha);
    expect(existsSync(join(dir, 'model.bin'))).toBe(false);
    expect(existsSync(join(dir, 'model.bin.part'))).toBe(false);
  });

  it('keeps a verified file without downloading again, and replaces a damaged one', async () => {
    files.set('/once', { bytes: body });
    const dir = tmp();
    await downloadFile(spec('/once'), dir);
    requests.length = 0;
    await downloadFile(spec('/once'), dir);
    expect(requests).toEqual([]);
    writeFileSync(join(dir, 'model.bin'), body.subarray(0, 10));
    await downloadFile(spec('/once'), dir);
    expect(requests).toHaveLength(1);
    expect(new Uint8Array(readFileSync(join(dir, 'model.bin')))).toEqual(body);
  });

  it('says how to pass a local file when the host cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await downloadFile({ ...spec('/x'), url: `http://127.0.0.1:${port}/x` }, tmp()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/cannot reach 127\.0\.0\.1.*ECONNREFUSED/);
    expect((err as Error).message).toMatch(/--from-dir|--checkpoint/);
  });

  it('reports an HTTP error status', async () => {
    const err = await downloadFile(spec('/missing'), tmp()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/HTTP 404/);
  });
});

const modelsDir =
  process.env.TT_MODELS_DIR || join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'models');
const haveReal =
  existsSync(join(modelsDir, 'stories260K.bin')) && existsSync(join(modelsDir, 'tokenizer.bin'));

describe.skipIf(!haveReal)(
  `fetchModel ${haveReal ? '' : `— SKIPPED: no model files in ${modelsDir} (set TT_MODELS_DIR)`}`,
  () => {
    it('fetches stories260K and tokenizer.bin and checks them against the pinned hashes', async () => {
      files.set('/stories260K.bin', {
        bytes: new Uint8Array(readFileSync(join(modelsDir, 'stories260K.bin'))),
      });
      files.set('/tokenizer.bin', { bytes: new Uint8Array(readFileSync(join(modelsDir, 'tokenizer.bin'))) });
      const dir = tmp();
      const paths = await fetchModel('stories260K', {
        cacheDir: dir,
        urls: { checkpoint: `${base}/stories260K.bin`, tokenizer: `${base}/tokenizer.bin` },
      });
      expect(paths).toEqual({
        checkpointPath: join(dir, 'stories260K.bin'),
        tokenizerPath: join(dir, 'tokenizer.bin'),
      });
    });
  },
);

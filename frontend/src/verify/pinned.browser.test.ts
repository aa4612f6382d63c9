// Finding 6 of issue 16: the verify worker used to run the engine .wasm the node named in its manifest, with no pinned
// hash, so a dishonest node could ship an engine that "verifies" its own forged text. Here a stand-in node offers such
// an engine (its manifest lists /engine/llm-simd.wasm); the worker must never ask for it, and must run the build bundled
// with the UI, whose sha256 is the one of @tt/llm's own file. And when the bundled file itself is swapped after the
// build, the worker refuses to run it. The same holds for the trainer that re-derives a fine-tuned version: a swapped
// trainer would "re-derive" whatever weights a dishonest node registered.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin, ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelHash } from '@tt/llm';
import { wasmPaths } from '@tt/llm/node';
import {
  makeRandomCheckpoint,
  makeSyntheticTokenizer,
  TINY_SHAPE,
} from '../../../packages/llm/test/models.ts';
import { launchBrowser } from '../../test/e2e/browser.ts';
import { serveFiles, startUiServer } from '../../test/e2e/stack.ts';

const shape = { ...TINY_SHAPE, vocabSize: 512, seqLen: 64 };
const checkpoint = makeRandomCheckpoint(shape, 5);
const tokenizer = makeSyntheticTokenizer(shape.vocabSize);

let node: Awaited<ReturnType<typeof serveFiles>>;
let vite: ViteDevServer;
let modelUrl: string;
let pageUrl: string;
const engineRequests: string[] = [];
/** When set, the UI's own server hands out altered engine builds (as if its files were changed after the build). */
let tamper = false;
/** The same for the trainer builds. */
let tamperTrainer = false;

/** Serves altered bytes for every engine build while `tamper` is set: one flipped byte in the code section. */
const tampering: Plugin = {
  name: 'test-tamper-engine',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const m = /llm-(simd|scalar|simd-threads|train-simd|train-scalar)\.wasm/.exec(req.url ?? '');
      if (!m || !(m[1]!.startsWith('train-') ? tamperTrainer : tamper)) return next();
      const bytes = Buffer.from(readFileSync(join(wasmPaths().simd, '..', `llm-${m[1]}.wasm`)));
      bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x01;
      res.writeHead(200, {
        'content-type': 'application/wasm',
        'cross-origin-resource-policy': 'same-origin',
      });
      res.end(bytes);
    });
  },
};

beforeAll(async () => {
  // a node that names an engine of its own in its manifest, and counts who asks for it
  const evil = Buffer.from('not the engine: a node must never get to run code in the verifier');
  node = await serveFiles(
    {
      '/models/manifest.json': JSON.stringify({
        files: { checkpoint: { url: '/models/checkpoint.bin' }, tokenizer: { url: '/models/tokenizer.bin' } },
        engine: {
          'llm-simd.wasm': { url: '/engine/llm-simd.wasm' },
          'llm-scalar.wasm': { url: '/engine/llm-scalar.wasm' },
        },
      }),
      '/models/checkpoint.bin': checkpoint,
      '/models/tokenizer.bin': tokenizer,
    },
    (req, res) => {
      if (!req.url?.startsWith('/engine/')) return false;
      engineRequests.push(req.url);
      res.writeHead(200, { 'content-type': 'application/wasm' }).end(evil);
      return true;
    },
  );
  modelUrl = `${node.url}/models`;
  ({ vite, url: pageUrl } = await startUiServer([tampering]));
});

afterAll(async () => {
  await vite?.close();
  await node?.close();
});

/**
 * Runs `body` in a fresh page with `client`, a ModelClient for the stand-in node; what it returns, or the error it
 * threw as { code, error }.
 */
async function inPage<T>(body: string): Promise<T & { code?: string; error?: string }> {
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    // A string, not a function: vitest would rewrite import() in a function's source.
    return (await page.evaluate(`(async () => {
      const { ModelClient } = await import('/src/verify/modelClient.ts');
      const client = new ModelClient({ modelUrl: ${JSON.stringify(modelUrl)} });
      try {
        ${body}
      } catch (e) {
        return e.code ? { code: e.code, error: e.message } : { error: e.message };
      } finally {
        client.dispose();
      }
    })()`)) as T & { code?: string; error?: string };
  } finally {
    await close();
  }
}

/** Loads the model in the page's worker; what it reports, or the load error's message. */
const loadInPage = () =>
  inPage<{ engine?: { file: string; sha256: string } }>('return { engine: (await client.load()).engine };');

describe('Verify runs only the engine built into the UI', () => {
  it("never fetches the engine the node's manifest names, and runs the bundled build whose hash is pinned", async () => {
    const got = await loadInPage();
    expect(got.error).toBeUndefined();
    expect(engineRequests).toEqual([]);
    const path = join(wasmPaths().simd, '..', got.engine!.file);
    expect(got.engine!.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('refuses to run a bundled build whose bytes no longer match the pinned hash', async () => {
    tamper = true;
    try {
      const got = await loadInPage();
      expect(got.engine).toBeUndefined();
      expect(got.error).toMatch(/llm-[a-z-]+\.wasm does not match the hash pinned in this UI/);
      expect(engineRequests).toEqual([]);
    } finally {
      tamper = false;
    }
  });
});

/**
 * Asks the page's worker to re-derive a version "registered" for a base it serves, with no teach input behind it:
 * with the pinned trainer the worker gets as far as reading the chain's record (and says the record is missing);
 * with a swapped trainer it must stop before.
 */
async function deriveInPage(cancelled = false): Promise<{ code?: string; error?: string }> {
  const base = await modelHash(checkpoint, tokenizer);
  const version = (n: number, hash: string) => ({
    version: n,
    modelHash: hash,
    parentHash: n ? base : `0x${'00'.repeat(32)}`,
    parentVersion: 0,
    datasetCommitment: `0x${'00'.repeat(32)}`,
    teachInputIndex: n ? 3 : 0,
    blockNumber: 1,
    pairs: n ? 1 : 0,
    steps: n ? 1 : 0,
    ...(n ? { hyperParameters: '0x' } : {}),
  });
  const job = {
    version: 1,
    versions: [version(0, base), version(1, `0x${'ab'.repeat(32)}`)],
    requests: [],
    conversations: [],
  };
  return inPage(`
    const ac = new AbortController();
    if (${cancelled}) ac.abort();
    await client.derive(${JSON.stringify(job)}, undefined, ac.signal);
    return {};`);
}

describe('Verify re-derives versions only with the trainer built into the UI', () => {
  it('runs the pinned trainer: the derivation goes on to the chain’s record', async () => {
    const got = await deriveInPage();
    expect(got.code).toBe('version-mismatch');
    expect(got.error).toMatch(/version 1: the chain has no TeachRequested event for input 3/);
  });

  it('stops when the page cancels: the worker hears it while the derivation is under way', async () => {
    const got = await deriveInPage(true);
    expect(got).toEqual({ code: 'cancelled', error: 're-deriving version 1 was cancelled' });
  });

  it('refuses a trainer build whose bytes no longer match the pinned hash, before any work', async () => {
    tamperTrainer = true;
    try {
      const got = await deriveInPage();
      expect(got.error).toMatch(
        /the trainer build llm-train-(simd|scalar)\.wasm does not match the hash pinned in this UI .* Verify will not re-derive a model version with it/,
      );
      expect(engineRequests).toEqual([]);
    } finally {
      tamperTrainer = false;
    }
  });
});

// Verify's engine in a real browser: the dev server (vite.config.ts) makes the page cross-origin isolated, the model
// worker then runs the engine on several threads, and the result is the same tokens and bytes as one thread in Node.
// The model comes from another origin with CORS headers, as the devnet serves it.
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine } from '@tt/llm';
import {
  makeRandomCheckpoint,
  makeSyntheticTokenizer,
  TINY_SHAPE,
} from '../../../packages/llm/test/models.ts';
import { launchBrowser } from '../../test/e2e/browser.ts';
import { serveFiles, startUiServer } from '../../test/e2e/stack.ts';

const shape = { ...TINY_SHAPE, vocabSize: 512, seqLen: 64 };
const checkpoint = makeRandomCheckpoint(shape, 21);
const tokenizer = makeSyntheticTokenizer(shape.vocabSize);
const request = { prompt: 'ab', steps: 48, temperature: 0.9, topp: 0.9, seed: '77' };

let models: Awaited<ReturnType<typeof serveFiles>>;
let vite: ViteDevServer;
let modelUrl: string;
let pageUrl: string;

beforeAll(async () => {
  models = await serveFiles({ '/models/checkpoint.bin': checkpoint, '/models/tokenizer.bin': tokenizer });
  modelUrl = `${models.url}/models`;
  ({ vite, url: pageUrl } = await startUiServer());
});

afterAll(async () => {
  await vite?.close();
  await models?.close();
});

describe('Verify on engine threads in the browser', () => {
  it('is cross-origin isolated, runs on more than one thread, and gives the bits of one thread', async () => {
    const { browser, close } = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(pageUrl);
      // A string, not a function: vitest would rewrite import() in a function's source.
      const got = (await page.evaluate(`(async () => {
        const { ModelClient } = await import('/src/verify/modelClient.ts');
        const client = new ModelClient({ modelUrl: ${JSON.stringify(modelUrl)} });
        const model = await client.load();
        const request = ${JSON.stringify(request)};
        const r = await client.generate({ ...request, prompt: new TextEncoder().encode(request.prompt) });
        client.dispose();
        return {
          isolated: self.crossOriginIsolated,
          cores: navigator.hardwareConcurrency,
          threads: model.threads,
          note: model.threadsNote,
          backend: model.backend,
          tokens: r.tokens,
          bytes: Array.from(r.bytes),
        };
      })()`)) as {
        isolated: boolean;
        cores: number;
        threads: number;
        note: string | null;
        backend: string;
        tokens: number[];
        bytes: number[];
      };
      expect(got.isolated).toBe(true);
      expect(got.backend).toBe('simd');
      expect(got.threads, got.note ?? '').toBe(Math.min(4, got.cores));
      expect(got.threads).toBeGreaterThan(1);

      const engine = await loadEngine({ checkpoint, tokenizer, backend: 'simd' });
      const want = engine.generate({ ...request, seed: BigInt(request.seed) });
      expect(got.tokens).toEqual(want.tokens);
      expect(got.bytes).toEqual([...want.bytes]);
    } finally {
      await close();
    }
  });
});

// The UI and the Cartesi machine's bundle import this package, so it must bundle for the browser without any Node
// built-in. esbuild fails on an unresolvable `node:` import for platform 'browser', which is exactly the check.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('browser safety', () => {
  it('the package bundles for the browser with no Node built-ins', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(Object.keys(result.metafile.inputs).filter((p) => p.startsWith('node:'))).toEqual([]);
  }, 60_000);
});

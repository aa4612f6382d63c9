// The web UI imports this package's main entry, and the wire packages under it (@tt/protocol, @tt/cartesi-v1), so
// bundling each for the browser must succeed without any Node built-in. esbuild fails the build on an unresolvable
// `node:` import for platform 'browser', which is exactly the check.
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = (name: string) => fileURLToPath(new URL(name, import.meta.url));

async function bundle(file: string) {
  return build({
    entryPoints: [file],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
}

const require = createRequire(import.meta.url);

describe('browser safety', () => {
  it('@tt/protocol and @tt/cartesi-v1 bundle for the browser with no Node built-ins', async () => {
    for (const pkg of ['@tt/protocol', '@tt/cartesi-v1']) {
      const result = await bundle(require.resolve(pkg));
      expect(
        Object.keys(result.metafile.inputs).filter((p) => p.startsWith('node:')),
        pkg,
      ).toEqual([]);
    }
  }, 60_000);

  it('the main entry bundles for the browser with no Node built-ins', async () => {
    const result = await bundle(entry('./index.ts'));
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.endsWith('src/node.ts'))).toBe(false);
    expect(inputs.filter((p) => p.startsWith('node:'))).toEqual([]);
  }, 60_000);

  it('the node entry does not (so the check above can fail)', async () => {
    await expect(bundle(entry('./node.ts'))).rejects.toThrow(/node:fs|node:path|node:url/);
  }, 60_000);
});

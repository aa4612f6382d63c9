// The sha256 of every engine build the UI bundles (the inference builds, and the trainer's, which Verify runs to
// re-derive a fine-tuned version), computed when the UI is built (or served by Vite) from the very files it bundles,
// and handed to the page as the module `virtual:tt-engine-pins`. The model worker checks the .wasm it fetched against
// these before it runs it (src/verify/pinned.ts): Verify then runs the engine this UI was built with, never one a
// server swapped in, and never one from the node whose outputs it checks.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const MODULE = 'virtual:tt-engine-pins';
const RESOLVED = `\0${MODULE}`;
/** Package export → file name, for every build @tt/llm's defaultWasmUrl and defaultTrainWasmUrl can pick. */
const BUILDS = {
  'llm-simd.wasm': '@tt/llm/wasm/simd',
  'llm-scalar.wasm': '@tt/llm/wasm/scalar',
  'llm-simd-threads.wasm': '@tt/llm/wasm/simd-threads',
  'llm-train-simd.wasm': '@tt/llm/wasm/train-simd',
  'llm-train-scalar.wasm': '@tt/llm/wasm/train-scalar',
} as const;

export function enginePins(): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: 'tt-engine-pins',
    resolveId: (id) => (id === MODULE ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      const pins: Record<string, string> = {};
      for (const [file, specifier] of Object.entries(BUILDS)) {
        let path: string;
        let bytes: Buffer;
        try {
          path = require.resolve(specifier);
          bytes = readFileSync(path);
        } catch (e) {
          throw new Error(
            `cannot pin the engine build ${file} (${(e as Error).message}): build the engine first with \`pnpm --filter @tt/llm build\``,
          );
        }
        this.addWatchFile(path);
        pins[file] = createHash('sha256').update(bytes).digest('hex');
      }
      return `/** sha256 of each engine build bundled with this UI, computed at build time (build/engine-pins.ts). */\nexport const ENGINE_SHA256 = ${JSON.stringify(pins, null, 2)};\n`;
    },
  };
}

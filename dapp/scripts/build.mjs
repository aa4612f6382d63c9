// Bundles the backend into dist/backend.mjs (one file, Node built-ins only, so the Cartesi machine needs no
// node_modules) and copies the engine's two .wasm builds beside it, where src/wasm.ts looks for them.
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// an output folder may be given (the tests bundle into a temp folder, leaving dist/ to whoever runs it)
const dist = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');
const require = createRequire(join(root, 'package.json'));

function resolveOrExplain(specifier, hint) {
  try {
    const path = require.resolve(specifier);
    statSync(path);
    return path;
  } catch {
    console.error(`dapp build: cannot find ${specifier}: ${hint}`);
    process.exit(1);
  }
}

const wasm = {
  'llm-simd.wasm': resolveOrExplain(
    '@tt/llm/wasm/simd',
    'build the engine first: pnpm --filter @tt/llm build',
  ),
  'llm-scalar.wasm': resolveOrExplain(
    '@tt/llm/wasm/scalar',
    'build the engine first: pnpm --filter @tt/llm build',
  ),
};
resolveOrExplain(
  '@tt/contracts/typechain',
  'generate the contract types first: pnpm --filter @tt/contracts build',
);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const result = await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(dist, 'backend.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // the machine runs node 20.16 (cartesi/node:20.16.0-jammy-slim)
  target: 'node20.16',
  // a CommonJS dependency that calls require() inside an ES module bundle needs a require of its own
  banner: {
    js: "import { createRequire as __ttCreateRequire } from 'node:module'; const require = __ttCreateRequire(import.meta.url);",
  },
  legalComments: 'eof',
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
});

for (const [name, from] of Object.entries(wasm)) copyFileSync(from, join(dist, name));

// The machine has no node_modules: anything the bundle still imports must be a Node built-in.
const inputs = Object.keys(result.metafile.inputs);
const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
const foreign = imports.filter((p) => !p.startsWith('node:') && !builtinModules.includes(p));
if (foreign.length > 0) {
  console.error(`dapp build: the bundle imports ${foreign.join(', ')} at run time; bundle them or drop them`);
  process.exit(1);
}
const size = (f) => `${(statSync(join(dist, f)).size / 1024).toFixed(0)} KiB`;
console.log(
  `dapp build: ${dist}/backend.mjs ${size('backend.mjs')} (${inputs.length} modules), ` +
    Object.keys(wasm)
      .map((f) => `${f} ${size(f)}`)
      .join(', '),
);

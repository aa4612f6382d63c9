// Builds the engine and the trainer (targets and flags in targets.ts): dist/llm-{simd,scalar,simd-threads}.wasm and
// dist/llm-train-{simd,scalar}.wasm with @yowasp/clang (clang compiled to WebAssembly, so no system compiler is
// needed), dist/llm-native and dist/llm-train-native with the system gcc when there is one (benchmark baseline and
// bit-exactness reference), and dist/llm-native-riscv64 when the riscv64 cross gcc is there (bench:riscv). Skips any
// output whose sources and flags have not changed since it was built.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeTargets, wasmTargets, type Target } from './targets.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cDir = join(root, 'c');
const dist = join(root, 'dist');

const sources: Record<string, string> = {};
for (const f of readdirSync(cDir)) if (/\.[ch]$/.test(f)) sources[f] = readFileSync(join(cDir, f), 'utf8');

function stampOf(t: Target, toolVersion: string): string {
  const h = createHash('sha256').update(JSON.stringify({ flags: t.flags, toolVersion }));
  for (const f of [...t.inputs].sort())
    h.update(f)
      .update('\0')
      .update(sources[f] ?? '')
      .update('\0');
  return h.digest('hex');
}

const stampPath = join(dist, 'build-stamps.json');
const stamps: Record<string, string> = existsSync(stampPath)
  ? JSON.parse(readFileSync(stampPath, 'utf8'))
  : {};
const upToDate = (t: Target, stamp: string) => stamps[t.out] === stamp && existsSync(join(dist, t.out));
mkdirSync(dist, { recursive: true });

async function buildWasm(): Promise<void> {
  const clangPkg = JSON.parse(
    readFileSync(join(root, 'node_modules/@yowasp/clang/package.json'), 'utf8'),
  ) as {
    version: string;
  };
  const pending = wasmTargets.filter((t) => !upToDate(t, stampOf(t, clangPkg.version)));
  if (pending.length === 0) return void console.log('llm: wasm builds up to date');
  // runClang is the documented entry (README) but missing from the package's .d.ts.
  const { runClang } = (await import('@yowasp/clang')) as unknown as {
    runClang(args: string[], files: Record<string, string>): Promise<Record<string, unknown>>;
  };
  for (const t of pending) {
    const started = Date.now();
    const files = await runClang(['clang', ...t.flags, '-o', t.out, ...t.sources], { ...sources });
    const wasm = files?.[t.out];
    if (!(wasm instanceof Uint8Array)) throw new Error(`clang produced no ${t.out}`);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>));
    const allowed = t.imports ?? [];
    if (JSON.stringify(imports.map((i) => `${i.module}.${i.name}`)) !== JSON.stringify(allowed))
      throw new Error(
        `${t.out} must import ${JSON.stringify(allowed)}, but imports ${JSON.stringify(imports)}`,
      );
    writeFileSync(join(dist, t.out), wasm);
    stamps[t.out] = stampOf(t, clangPkg.version);
    writeFileSync(stampPath, JSON.stringify(stamps, null, 2));
    console.log(`llm: built dist/${t.out} (${wasm.length} bytes, ${Date.now() - started} ms)`);
  }
}

function buildNative(t: Target): void {
  let ccVersion: string;
  try {
    ccVersion = execFileSync(t.cc, ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
  } catch {
    console.warn(
      t.cc === 'gcc'
        ? `llm: no gcc on PATH, so dist/${t.out} is not built (native benchmarks and native tests will skip)`
        : `llm: no ${t.cc} on PATH, so dist/${t.out} is not built (pnpm bench:riscv installs it)`,
    );
    return;
  }
  const stamp = stampOf(t, ccVersion);
  if (upToDate(t, stamp)) return void console.log(`llm: dist/${t.out} up to date`);
  const files = t.sources.map((f) => join(cDir, f));
  execFileSync(t.cc, [...t.flags, '-o', join(dist, t.out), ...files], { stdio: 'inherit' });
  stamps[t.out] = stamp;
  writeFileSync(stampPath, JSON.stringify(stamps, null, 2));
  console.log(`llm: built dist/${t.out} with ${ccVersion}`);
}

for (const t of nativeTargets) buildNative(t);
await buildWasm();

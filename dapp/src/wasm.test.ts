import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasmPaths } from '@tt/llm/node';
import { describe, expect, it } from 'vitest';
import { engineWasm } from './wasm.ts';

describe('engineWasm', () => {
  it('reads both builds from beside the module when they are there (the bundle)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-wasm-'));
    const paths = wasmPaths();
    copyFileSync(paths.simd, join(dir, 'llm-simd.wasm'));
    copyFileSync(paths.scalar, join(dir, 'llm-scalar.wasm'));
    const { wasm } = engineWasm(pathToFileURL(join(dir, 'backend.mjs')).href);
    expect(wasm?.simd).toEqual(new Uint8Array(readFileSync(paths.simd)));
    expect(wasm?.scalar).toEqual(new Uint8Array(readFileSync(paths.scalar)));
  });

  it("leaves @tt/llm's own default when they are not (running from the sources)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-wasm-'));
    expect(engineWasm(pathToFileURL(join(dir, 'backend.mjs')).href)).toEqual({});
  });
});

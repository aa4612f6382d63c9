// The bound that makes V8's --no-wasm-stack-checks safe inside the machine (src/v8-flags.ts): in every WebAssembly
// build, no function can reach itself through calls, and no chain of calls is deeper than MAX_DEPTH, so the native
// stack a module uses is bounded and small. An indirect call is taken to reach every function of its type (more
// than it can), so the bound holds whatever the tables hold.
import { readFileSync } from 'node:fs';
import { BinaryReader } from 'wasmparser';
import type { IFunctionEntry, IImportEntry, IOperatorInformation } from 'wasmparser';
import { describe, expect, it } from 'vitest';
import { wasmTargets } from '../scripts/targets.ts';
import { distDir } from './paths.ts';
import { join } from 'node:path';

const MAX_DEPTH = 8;
// The call opcodes, and the reader states used below (wasmparser's OperatorCode and BinaryReaderState are const
// enums, which isolated modules cannot read).
const CALL = 0x10,
  CALL_INDIRECT = 0x11,
  RETURN_CALL = 0x12,
  RETURN_CALL_INDIRECT = 0x13;
const State = {
  ERROR: -1,
  END_WASM: 2,
  IMPORT_SECTION_ENTRY: 12,
  FUNCTION_SECTION_ENTRY: 13,
  BEGIN_FUNCTION_BODY: 28,
  CODE_OPERATOR: 30,
} as const;

interface CallGraph {
  /** Callees of each defined function, by function index (imports first, as wasm numbers them). */
  callees: Map<number, Set<number>>;
}

function callGraph(bytes: Uint8Array): CallGraph {
  const reader = new BinaryReader();
  reader.setData(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  let imported = 0;
  const typeOf: number[] = []; // type index of each function, imports included
  const calls: { direct: number[]; indirectTypes: number[] }[] = [];
  for (;;) {
    if (!reader.read()) throw new Error(`unreadable wasm: ${reader.error?.message}`);
    const state = reader.state;
    if (state === State.END_WASM) break;
    if (state === State.ERROR) throw reader.error;
    if (state === State.IMPORT_SECTION_ENTRY) {
      const e = reader.result as IImportEntry;
      if (e.kind === 0 /* function */) {
        imported++;
        typeOf.push(e.funcTypeIndex!);
      }
    } else if (state === State.FUNCTION_SECTION_ENTRY) {
      typeOf.push((reader.result as IFunctionEntry).typeIndex);
    } else if (state === State.BEGIN_FUNCTION_BODY) {
      calls.push({ direct: [], indirectTypes: [] });
    } else if (state === State.CODE_OPERATOR) {
      const op = reader.result as IOperatorInformation;
      const cur = calls[calls.length - 1]!;
      if (op.code === CALL || op.code === RETURN_CALL) cur.direct.push(op.funcIndex!);
      if (op.code === CALL_INDIRECT || op.code === RETURN_CALL_INDIRECT)
        cur.indirectTypes.push(op.typeIndex!);
    }
  }
  const callees = new Map<number, Set<number>>();
  calls.forEach((c, k) => {
    const set = new Set(c.direct);
    for (const t of c.indirectTypes)
      typeOf.forEach((ft, f) => {
        if (ft === t && f >= imported) set.add(f);
      });
    callees.set(imported + k, set);
  });
  return { callees };
}

/** A cycle of calls (function indices), or null; and the longest chain of calls (functions on it). */
function analyse(g: CallGraph): { cycle: number[] | null; depth: number } {
  const state = new Map<number, 1 | 2>();
  const depthOf = new Map<number, number>();
  let cycle: number[] | null = null;
  const visit = (f: number, path: number[]): number => {
    if (state.get(f) === 2) return depthOf.get(f)!;
    if (state.get(f) === 1) {
      cycle ??= [...path.slice(path.indexOf(f)), f];
      return 0;
    }
    state.set(f, 1);
    let d = 0;
    for (const c of g.callees.get(f) ?? []) d = Math.max(d, visit(c, [...path, f]));
    state.set(f, 2);
    depthOf.set(f, d + 1);
    return d + 1;
  };
  let depth = 0;
  for (const f of g.callees.keys()) depth = Math.max(depth, visit(f, []));
  return { cycle, depth };
}

describe('call graphs of the wasm builds', () => {
  for (const t of wasmTargets)
    it(`${t.out}: no recursion, at most ${MAX_DEPTH} calls deep`, () => {
      const { cycle, depth } = analyse(callGraph(new Uint8Array(readFileSync(join(distDir, t.out)))));
      expect(cycle).toBeNull();
      expect(depth).toBeGreaterThanOrEqual(2); // it did see calls
      expect(depth).toBeLessThanOrEqual(MAX_DEPTH);
    });

  it('sees recursion and depth where they are', () => {
    // f0 -> f1 -> f2 -> f1 (a cycle); f3 -> f0
    const cyclic = {
      callees: new Map([
        [0, new Set([1])],
        [1, new Set([2])],
        [2, new Set([1])],
        [3, new Set([0])],
      ]),
    };
    expect(analyse(cyclic).cycle).toEqual([1, 2, 1]);
    const chain = {
      callees: new Map([
        [0, new Set([1])],
        [1, new Set([2])],
        [2, new Set<number>()],
      ]),
    };
    expect(analyse(chain)).toEqual({ cycle: null, depth: 3 });
  });

  it('reads calls from a real module: a function that calls itself', () => {
    // (module (func $f (call $f))): the smallest recursive module, written out byte by byte.
    const bytes = new Uint8Array([
      0x00,
      0x61,
      0x73,
      0x6d,
      0x01,
      0x00,
      0x00,
      0x00, // magic, version
      0x01,
      0x04,
      0x01,
      0x60,
      0x00,
      0x00, // type section: () -> ()
      0x03,
      0x02,
      0x01,
      0x00, // function section: f has type 0
      0x0a,
      0x06,
      0x01,
      0x04,
      0x00,
      0x10,
      0x00,
      0x0b, // code: no locals, call 0, end
    ]);
    expect(analyse(callGraph(bytes)).cycle).toEqual([0, 0]);
  });
});

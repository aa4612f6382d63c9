// The engine Verify runs: the .wasm builds bundled with this UI, each checked against the sha256 pinned when the UI was
// built (build/engine-pins.ts) before it is compiled. The node being checked serves no engine to run: a dishonest node
// could ship one that "verifies" its own forged text, or a trainer that "re-derives" the weights it registered. A
// build whose bytes do not match its pin is refused.
import { defaultTrainWasmUrl, defaultWasmUrl, type Backend, type Build } from '@tt/llm';
import { ENGINE_SHA256 } from 'virtual:tt-engine-pins';

export const BUILDS: readonly Build[] = ['simd', 'scalar', 'simd-threads'];

export class EnginePinError extends Error {
  override name = 'EnginePinError';
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A bundled file's bytes, fetched from this UI's own files and checked against its pin. */
async function pinnedFile(file: string, url: URL, what: string, refusal: string): Promise<Uint8Array> {
  const pin = ENGINE_SHA256[file];
  if (!pin) throw new EnginePinError(`this UI has no pinned hash for the ${what} ${file}: rebuild the UI`);
  const res = await fetch(url);
  if (!res.ok)
    throw new EnginePinError(`the ${what} ${file} could not be fetched (${url}: HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const got = await sha256Hex(bytes);
  if (got !== pin)
    throw new EnginePinError(
      `the ${what} ${file} does not match the hash pinned in this UI (sha256 ${got.slice(0, 16)}…, pinned ` +
        `${pin.slice(0, 16)}…): it was changed after the UI was built, so ${refusal}. Reload the page; if ` +
        'this persists, serve the UI from a fresh build',
    );
  return bytes;
}

/** One build's bytes, fetched from this UI's own files and checked against its pin. */
export function pinnedBuild(build: Build): Promise<Uint8Array> {
  return pinnedFile(`llm-${build}.wasm`, defaultWasmUrl(build), 'engine build', 'Verify will not run it');
}

/** Every build loadEngine may pick (SIMD or not, threads or not), each checked against its pin. */
export async function pinnedEngine(): Promise<Record<Build, Uint8Array>> {
  const bytes = await Promise.all(BUILDS.map(pinnedBuild));
  return Object.fromEntries(BUILDS.map((b, i) => [b, bytes[i]!])) as Record<Build, Uint8Array>;
}

/** The trainer build for `backend` (the one teach() picks here), checked against its pin. */
export function pinnedTrainer(backend: Backend): Promise<Uint8Array> {
  return pinnedFile(
    `llm-train-${backend}.wasm`,
    defaultTrainWasmUrl(backend),
    'trainer build',
    'Verify will not re-derive a model version with it',
  );
}

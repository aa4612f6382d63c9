// The engine Verify runs: the .wasm builds bundled with this UI, each checked against the sha256 pinned when the UI was
// built (build/engine-pins.ts) before it is compiled. The node being checked serves no engine to run: a dishonest node
// could ship one that "verifies" its own forged text. A build whose bytes do not match its pin is refused.
import { defaultWasmUrl, type Build } from '@tt/llm';
import { ENGINE_SHA256 } from 'virtual:tt-engine-pins';

export const BUILDS: readonly Build[] = ['simd', 'scalar', 'simd-threads'];

export class EnginePinError extends Error {
  override name = 'EnginePinError';
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One build's bytes, fetched from this UI's own files and checked against its pin. */
export async function pinnedBuild(build: Build): Promise<Uint8Array> {
  const file = `llm-${build}.wasm`;
  const pin = ENGINE_SHA256[file];
  if (!pin)
    throw new EnginePinError(`this UI has no pinned hash for the engine build ${file}: rebuild the UI`);
  const url = defaultWasmUrl(build);
  const res = await fetch(url);
  if (!res.ok)
    throw new EnginePinError(`the engine build ${file} could not be fetched (${url}: HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const got = await sha256Hex(bytes);
  if (got !== pin)
    throw new EnginePinError(
      `the engine build ${file} does not match the hash pinned in this UI (sha256 ${got.slice(0, 16)}…, pinned ` +
        `${pin.slice(0, 16)}…): it was changed after the UI was built, so Verify will not run it. Reload the page; if ` +
        'this persists, serve the UI from a fresh build',
    );
  return bytes;
}

/** Every build loadEngine may pick (SIMD or not, threads or not), each checked against its pin. */
export async function pinnedEngine(): Promise<Record<Build, Uint8Array>> {
  const bytes = await Promise.all(BUILDS.map(pinnedBuild));
  return Object.fromEntries(BUILDS.map((b, i) => [b, bytes[i]!])) as Record<Build, Uint8Array>;
}

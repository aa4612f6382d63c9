// Test support: a devnet started by the test itself (random ports, a throwaway state folder, the small real model from
// ../shared/models), and a runner for the real `tt` binary so tests exercise exactly what a user types.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedModels } from '@tt/llm/testing';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const ttBin = join(repoRoot, 'packages/cli/bin/tt.js');

/** The shared model folder beside the project (see ../shared/models/README.md), or $TT_MODELS_DIR. */
const shared = sharedModels();

/** Why the end-to-end tests cannot run here, or null when they can. */
export function e2eSkipReason(): string | null {
  if (shared.missingReason) return shared.missingReason;
  const built = [
    join(repoRoot, 'dapp/dist/backend.mjs'),
    join(repoRoot, 'packages/llm/dist/llm-scalar.wasm'),
    join(repoRoot, 'contracts/typechain-types/factories/contracts/TrustAndTeach__factory.ts'),
  ].filter((p) => !existsSync(p));
  if (built.length) return `not built: ${built.join(', ')} (run \`pnpm build\`)`;
  return null;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TtRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (what --json promises), or null. */
  json: Record<string, any> | null;
}

/** Runs `tt ARGS…` as a child process and collects its output; never throws on a non-zero exit. */
export function tt(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<TtRun> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [ttBin, ...args],
      {
        cwd: opts.cwd ?? repoRoot,
        env: { ...process.env, ...opts.env },
        timeout: opts.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        const last = stdout.trimEnd().split('\n').at(-1) ?? '';
        let json: Record<string, any> | null = null;
        try {
          json = last.startsWith('{') ? (JSON.parse(last) as Record<string, any>) : null;
        } catch {
          json = null;
        }
        resolvePromise({ code, stdout, stderr, json });
      },
    );
  });
}

/** A port nothing listens on: bind to 0, read the port, close. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

// Compiles guest C for this host with gcc, so its logic can be tested against ethers without booting the machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** guest/c, where the sources are */
export const guestC = fileURLToPath(new URL('..', import.meta.url));

/** Builds `sources` (relative to guest/c) into a temporary executable and returns its path. */
export function buildForHost(name: string, sources: string[]): string {
  const bin = join(mkdtempSync(join(tmpdir(), `tt-${name}-`)), name);
  execFileSync('gcc', ['-O2', '-Wall', '-Werror', '-o', bin, ...sources.map((s) => join(guestC, s))]);
  return bin;
}

// Each build step's output lives in <cache>/<step>-<key>/, where the key hashes everything the output depends on.
// A step builds into a temporary folder beside it and renames it into place only when it succeeded, so a folder
// with a final name is always complete: an interrupted or failed build is never reused, only cleaned up.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 over labelled parts (a file's bytes, a version string, another step's key); 20 hex digits. */
export function contentKey(parts: Record<string, string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(parts).sort()) {
    const v = parts[name]!;
    const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    h.update(`${name}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest('hex').slice(0, 20);
}

/** sha256 of a file, hex. */
export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Hashes every file under a folder (relative names and bytes), for a step whose input is a whole folder. */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(join(dir, r));
      if (st.isDirectory()) walk(r);
      else h.update(`${r}\0${st.size}\0`).update(readFileSync(join(dir, r)));
    }
  };
  walk('');
  return h.digest('hex');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StepResult {
  dir: string;
  key: string;
  /** false when the folder came from the cache */
  built: boolean;
}

/**
 * Returns <cache>/<name>-<key>, building it with `build(tmpDir)` when missing. Older keys of the same step and
 * partial folders of dead builds are removed.
 */
export async function cachedStep(
  cache: string,
  name: string,
  key: string,
  build: (tmp: string) => Promise<void>,
): Promise<StepResult> {
  mkdirSync(cache, { recursive: true });
  const dir = join(cache, `${name}-${key}`);
  if (existsSync(dir)) return { dir, key, built: false };
  for (const entry of readdirSync(cache)) {
    const m = /^(.*)\.partial-(\d+)$/.exec(entry);
    if (m && m[1]!.startsWith(`${name}-`) && !alive(Number(m[2]))) {
      rmSync(join(cache, entry), { recursive: true, force: true });
    }
  }
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // a failure leaves tmp behind with its log for the user; the next run removes it (its pid is gone by then)
  await build(tmp);
  if (existsSync(dir)) {
    rmSync(tmp, { recursive: true, force: true }); // another build finished the same step first
  } else {
    renameSync(tmp, dir);
  }
  for (const entry of readdirSync(cache)) {
    if (entry.startsWith(`${name}-`) && entry !== `${name}-${key}` && !entry.includes('.partial-')) {
      rmSync(join(cache, entry), { recursive: true, force: true });
    }
  }
  return { dir, key, built: true };
}

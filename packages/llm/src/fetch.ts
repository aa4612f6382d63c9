// Downloading the published models into a local cache: resumable (HTTP Range on a .part file), with progress, and
// checked against the pinned size and sha256 before the file takes its final name. `tt model fetch` is this code.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export interface DownloadSpec {
  /** File name inside the cache folder. */
  fileName: string;
  url: string;
  /** Pinned size and hash; a file that does not match is deleted and rejected. */
  size?: number;
  sha256?: string;
}

export type ModelName = 'stories15M' | 'stories260K';

const CONNECT_TIMEOUT_MS = 20_000;

const TOKENIZER: DownloadSpec = {
  fileName: 'tokenizer.bin',
  url: 'https://raw.githubusercontent.com/karpathy/llama2.c/master/tokenizer.bin',
  size: 433_869,
  sha256: '50a52ef822ee9e83de5ce9d0be0a025a773d019437f58b5ff9dcafb063ece361',
};

/** The published llama2.c checkpoints we know, with the tokenizer each was trained with. */
export const MODELS: Record<ModelName, { checkpoint: DownloadSpec; tokenizer: DownloadSpec }> = {
  stories15M: {
    checkpoint: {
      fileName: 'stories15M.bin',
      url: 'https://huggingface.co/karpathy/tinyllamas/resolve/main/stories15M.bin',
      size: 60_816_028,
      sha256: 'cd590644d963867a2b6e5a1107f51fad663c41d79c149fbecbbb1f95fa81f49a',
    },
    tokenizer: TOKENIZER,
  },
  stories260K: {
    checkpoint: {
      fileName: 'stories260K.bin',
      url: 'https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/stories260K.bin',
      size: 1_056_540,
      sha256: '9414d5a285453a7eab631713d171753232c978f6f97654211469aff8be93c8d6',
    },
    // Its own 512-piece tokenizer is not pinned here (we have never seen its hash); tokenizer.bin covers the first
    // 512 ids' byte pieces, which is enough to run the model by ids.
    tokenizer: TOKENIZER,
  },
};

export interface FetchProgress {
  fileName: string;
  received: number;
  total: number | null;
}

export interface FetchOptions {
  cacheDir?: string;
  onProgress?: (p: FetchProgress) => void;
  /** Replace the download URLs (tests, mirrors). */
  urls?: { checkpoint?: string; tokenizer?: string };
  /** A base URL serving the files by their names (default: $TT_MODEL_MIRROR, else the published URLs). */
  mirror?: string;
}

export function defaultCacheDir(): string {
  return process.env.TT_CACHE_DIR || join(repoRoot(), '.cache', 'models');
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/**
 * sha256 of a file, streamed (a model is tens of MB); `also` gets the same bytes, for a hash over several files such as
 * the model hash sha256(checkpoint ‖ tokenizer).
 */
export async function sha256File(
  path: string,
  also?: { update(chunk: Uint8Array): unknown },
): Promise<{ hex: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Uint8Array;
    size += bytes.length;
    h.update(bytes);
    also?.update(bytes);
  }
  return { hex: h.digest('hex'), size };
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

function offlineHint(spec: DownloadSpec, dest: string): string {
  return (
    `download it on a machine with internet access (${spec.url}) and put it at ${dest}` +
    ` (it is checked against the pinned sha256), or pass local files directly with --checkpoint/--tokenizer` +
    ` (\`tt model fetch <name> --from-dir DIR\` copies them into the cache)`
  );
}

/** True when the file at path has the spec's size and sha256 (those that are pinned). */
export async function verifyFile(
  spec: DownloadSpec,
  path: string,
): Promise<{ ok: boolean; size: number | null; sha256: string | null }> {
  const size = await sizeOf(path);
  if (size === null) return { ok: false, size, sha256: null };
  if (spec.size !== undefined && size !== spec.size) return { ok: false, size, sha256: null };
  const sha = (await sha256File(path)).hex;
  return { ok: spec.sha256 === undefined || sha === spec.sha256, size, sha256: sha };
}

/**
 * Downloads spec.url to dir/spec.fileName unless a verified copy is there. Bytes arrive in `<name>.part`; an
 * interrupted download resumes from where the .part ends (HTTP Range). Returns the final path.
 */
export async function downloadFile(
  spec: DownloadSpec,
  dir: string,
  onProgress?: (p: FetchProgress) => void,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const dest = join(dir, spec.fileName);
  const part = `${dest}.part`;
  if (existsSync(dest)) {
    const v = await verifyFile(spec, dest);
    if (v.ok) return dest;
    await rm(dest); // a stale or damaged copy: fetch it again
  }
  let have = (await sizeOf(part)) ?? 0;
  if (spec.size !== undefined && have > spec.size) {
    await rm(part);
    have = 0;
  }
  let res: Response;
  // A network that drops packets instead of refusing them would hang here for minutes: give up on the connection
  // (not on the transfer, which may be slow) after a while.
  const connecting = new AbortController();
  const timer = setTimeout(() => connecting.abort(new Error('no answer within 20 s')), CONNECT_TIMEOUT_MS);
  try {
    res = await fetch(spec.url, {
      headers: have > 0 ? { Range: `bytes=${have}-` } : {},
      signal: connecting.signal,
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new DownloadError(
      `cannot reach ${new URL(spec.url).host} to download ${spec.fileName} (${cause?.code ?? cause?.message ?? (e as Error).message}); ` +
        offlineHint(spec, dest),
    );
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 416 && have > 0) {
    // The server has nothing past our .part: it is complete (or wrong); the checks below decide.
    await res.body?.cancel();
  } else if (res.status === 200 || res.status === 206) {
    if (res.status === 200) have = 0; // the server ignored Range: start over
    const lengthHeader = res.headers.get('content-length');
    const total = spec.size ?? (lengthHeader ? have + Number(lengthHeader) : null);
    const out = createWriteStream(part, { flags: have > 0 ? 'a' : 'w' });
    let received = have;
    try {
      if (!res.body) throw new Error('empty response body');
      const reader = res.body.getReader();
      onProgress?.({ fileName: spec.fileName, received, total });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
        received += value.length;
        onProgress?.({ fileName: spec.fileName, received, total });
      }
    } catch (e) {
      await new Promise<void>((r) => out.end(() => r()));
      throw new DownloadError(
        `the download of ${spec.fileName} was interrupted after ${received} bytes (${(e as Error).message}); run the same command again to resume`,
      );
    }
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  } else {
    await res.body?.cancel();
    throw new DownloadError(
      `downloading ${spec.fileName} from ${spec.url} gave HTTP ${res.status}; ${offlineHint(spec, dest)}`,
    );
  }

  const v = await verifyFile(spec, part);
  if (!v.ok) {
    if (spec.size !== undefined && v.size !== null && v.size < spec.size) {
      throw new DownloadError(
        `${spec.fileName} is incomplete (${v.size} of ${spec.size} bytes); run the same command again to resume`,
      );
    }
    await rm(part, { force: true });
    throw new DownloadError(
      `${spec.fileName} does not match the pinned file (size ${v.size}, sha256 ${v.sha256 ?? 'not computed'}; expected size ${spec.size}, sha256 ${spec.sha256}); the download was deleted. If this repeats, the source changed: check the URL ${spec.url}`,
    );
  }
  await rename(part, dest);
  return dest;
}

/** Copies a local file into the cache after checking it against the spec (for machines that cannot download). */
export async function importFile(spec: DownloadSpec, source: string, dir: string): Promise<string> {
  const v = await verifyFile(spec, source);
  if (v.size === null)
    throw new DownloadError(
      `there is no file at ${source}: put ${spec.fileName} there (from ${spec.url}) or pass another --from-dir`,
    );
  if (!v.ok)
    throw new DownloadError(
      `${source} is not the pinned ${spec.fileName} (size ${v.size}, sha256 ${v.sha256 ?? 'not computed'}; expected size ${spec.size}, sha256 ${spec.sha256})`,
    );
  await mkdir(dir, { recursive: true });
  const dest = join(dir, spec.fileName);
  const { copyFile } = await import('node:fs/promises');
  await copyFile(source, dest);
  return dest;
}

/** Makes sure the model and its tokenizer are in the cache (downloading what is missing) and returns their paths. */
export async function fetchModel(
  name: ModelName,
  opts: FetchOptions = {},
): Promise<{ checkpointPath: string; tokenizerPath: string }> {
  const model = MODELS[name];
  if (!model)
    throw new DownloadError(`unknown model '${String(name)}': use one of ${Object.keys(MODELS).join(', ')}`);
  const dir = opts.cacheDir ?? defaultCacheDir();
  // A mirror serves the same files by name (checked against the same pinned sha256), for networks without the hub.
  const mirror = (opts.mirror ?? process.env.TT_MODEL_MIRROR)?.replace(/\/+$/, '');
  const at = (spec: DownloadSpec) => (mirror ? `${mirror}/${spec.fileName}` : spec.url);
  const checkpoint = { ...model.checkpoint, url: opts.urls?.checkpoint ?? at(model.checkpoint) };
  const tokenizer = { ...model.tokenizer, url: opts.urls?.tokenizer ?? at(model.tokenizer) };
  const checkpointPath = await downloadFile(checkpoint, dir, opts.onProgress);
  const tokenizerPath = await downloadFile(tokenizer, dir, opts.onProgress);
  return { checkpointPath, tokenizerPath };
}

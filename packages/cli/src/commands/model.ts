// tt model fetch [stories15M|stories260K]: download a published checkpoint and its tokenizer into the local cache.
import { parseArgs } from 'node:util';
import {
  DownloadError,
  MODELS,
  defaultCacheDir,
  fetchModel,
  importFile,
  type FetchProgress,
  type ModelName,
} from '@tt/llm/node';
import { join } from 'node:path';
import { CliError } from '../errors.ts';

const usage = `tt model fetch [stories15M|stories260K] [--cache-dir DIR] [--from-dir DIR] [--json]

Downloads the checkpoint (Hugging Face karpathy/tinyllamas) and tokenizer.bin (llama2.c) into the cache
(<repo>/.cache/models, or $TT_CACHE_DIR), resuming an interrupted download and checking size and sha256.
  --from-dir DIR   no internet: copy the files from DIR instead (checked the same way)
  --json           print {"checkpointPath","tokenizerPath"} as the last line`;

/** A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise (logs stay short). */
function progressPrinter(): (p: FetchProgress) => void {
  let lastFile = '';
  let lastDecile = -1;
  let lastDraw = 0;
  return (p) => {
    const tty = process.stderr.isTTY;
    const frac = p.total ? Math.min(1, p.received / p.total) : 0;
    const done = p.total !== null && p.received >= p.total;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const line = `${p.fileName} [${'#'.repeat(Math.round(frac * 30)).padEnd(30, '.')}] ${(frac * 100).toFixed(0).padStart(3)}% ${mb(p.received)}${p.total ? `/${mb(p.total)}` : ''} MB`;
    if (p.fileName !== lastFile) {
      lastFile = p.fileName;
      lastDecile = -1;
    }
    if (tty) {
      const now = Date.now();
      if (done || now - lastDraw > 100) {
        process.stderr.write(`\r${line}${done ? '\n' : ''}`);
        lastDraw = now;
      }
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== lastDecile) {
        process.stderr.write(line + '\n');
        lastDecile = decile;
      }
    }
  };
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'cache-dir': { type: 'string' },
        'from-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new CliError((e as Error).message, usage.split('\n')[0], 2);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const [sub, name = 'stories15M', ...extra] = positionals;
  if (sub !== 'fetch' || extra.length > 0)
    throw new CliError(`unknown model command '${positionals.join(' ')}'`, usage.split('\n')[0], 2);
  if (!(name in MODELS))
    throw new CliError(`unknown model '${name}'`, `choose one of: ${Object.keys(MODELS).join(', ')}`, 2);
  const model = name as ModelName;
  const cacheDir = values['cache-dir'] ?? defaultCacheDir();
  try {
    let paths: { checkpointPath: string; tokenizerPath: string };
    if (values['from-dir']) {
      const from = values['from-dir'];
      paths = {
        checkpointPath: await importFile(
          MODELS[model].checkpoint,
          join(from, MODELS[model].checkpoint.fileName),
          cacheDir,
        ),
        tokenizerPath: await importFile(
          MODELS[model].tokenizer,
          join(from, MODELS[model].tokenizer.fileName),
          cacheDir,
        ),
      };
    } else {
      paths = await fetchModel(model, { cacheDir, onProgress: progressPrinter() });
    }
    if (values.json) console.log(JSON.stringify(paths));
    else console.log(`checkpoint ${paths.checkpointPath}\ntokenizer  ${paths.tokenizerPath}`);
    return 0;
  } catch (e) {
    if (e instanceof DownloadError) throw new CliError(e.message);
    throw e;
  }
}

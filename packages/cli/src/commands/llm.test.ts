// tt llm … and tt model … as a person or a check runs them: the real bin in a child process.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'tt.js');
const modelsDir = process.env.TT_MODELS_DIR || join(here, '..', '..', '..', '..', '..', 'shared', 'models');
const ckpt = join(modelsDir, 'stories260K.bin');
const tok = join(modelsDir, 'tokenizer.bin');
const haveModels = existsSync(ckpt) && existsSync(tok);
const SKIP = `— SKIPPED: no stories260K.bin/tokenizer.bin in ${modelsDir} (set TT_MODELS_DIR)`;

function tt(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe.skipIf(!haveModels)(`tt llm ${haveModels ? '' : SKIP}`, () => {
  it('generate --json: greedy stories260K from BOS, the same ids on every backend', async () => {
    const outs = await Promise.all(
      ['simd', 'scalar', 'native'].map((b) =>
        tt(
          'llm',
          'generate',
          '--checkpoint',
          ckpt,
          '--tokenizer',
          tok,
          '--steps',
          '8',
          '--temperature',
          '0',
          '--backend',
          b,
          '--json',
        ),
      ),
    );
    for (const o of outs) {
      expect(o.code, o.stderr).toBe(0);
      const r = lastJson(o.stdout);
      expect(r.tokens).toEqual([1, 461, 461, 401, 401, 401, 461, 378, 455]);
      expect(typeof r.text).toBe('string');
    }
  });

  it('encode --json gives the ids with BOS and without EOS', async () => {
    const o = await tt('llm', 'encode', '--tokenizer', tok, '--text', 'Once upon a time', '--json');
    expect(o.code, o.stderr).toBe(0);
    expect(lastJson(o.stdout)).toEqual({ tokens: [1, 9038, 2501, 263, 931] });
  });

  it('info prints the header, parameter count and sha256', async () => {
    const o = await tt('llm', 'info', '--checkpoint', ckpt);
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toContain(
      'dim 64, hidden_dim 172, n_layers 5, n_heads 8, n_kv_heads 4, vocab_size 512, seq_len 512',
    );
    expect(o.stdout).toContain('parameters 260032');
    expect(o.stdout).toContain('9414d5a285453a7eab631713d171753232c978f6f97654211469aff8be93c8d6');
  });

  it('a truncated checkpoint and bad steps are user errors that say what is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-cli-llm-'));
    const { readFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'short.bin'), readFileSync(ckpt).subarray(0, 100_000));
    const a = await tt(
      'llm',
      'generate',
      '--checkpoint',
      join(dir, 'short.bin'),
      '--tokenizer',
      tok,
      '--steps',
      '4',
    );
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(
      /tt: the checkpoint size does not match its header.*needs 1056540 bytes, the file has 100000/,
    );
    const b = await tt('llm', 'generate', '--checkpoint', ckpt, '--tokenizer', tok, '--steps', '513');
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/steps must be an integer from 1 to the model's context 512/);
  });
});

describe('tt model', () => {
  it('fetch --from-dir without the files says where they should be, without a stack trace', async () => {
    const o = await tt(
      'model',
      'fetch',
      'stories260K',
      '--cache-dir',
      mkdtempSync(join(tmpdir(), 'tt-cli-model-')),
      '--from-dir',
      '/nonexistent',
    );
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(
      /^tt: there is no file at \/nonexistent\/stories260K.bin: put stories260K.bin there/,
    );
  });

  it.skipIf(!haveModels)(
    `fetch --from-dir copies verified files into the cache ${haveModels ? '' : SKIP}`,
    async () => {
      const cache = mkdtempSync(join(tmpdir(), 'tt-cli-model-'));
      const o = await tt(
        'model',
        'fetch',
        'stories260K',
        '--cache-dir',
        cache,
        '--from-dir',
        modelsDir,
        '--json',
      );
      expect(o.code, o.stderr).toBe(0);
      expect(lastJson(o.stdout)).toEqual({
        checkpointPath: join(cache, 'stories260K.bin'),
        tokenizerPath: join(cache, 'tokenizer.bin'),
      });
    },
  );
});

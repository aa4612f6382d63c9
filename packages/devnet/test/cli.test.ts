// The command line's flags (node:util parseArgs, strict) and what they become for startDevnet; and the banner of
// `pnpm devnet --no-backend`, which hands the rollup API's secret URL to whoever runs their own backend.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { devnetOptions, intFlag, parseFlags, UsageError } from '../src/cli.js';
import { defaultStateDir } from '../src/layout.js';
import { sharedModel } from '../src/testing.js';

describe('devnet flags', () => {
  it('has the defaults of the Cartesi CLI 1.5 layout', () => {
    const o = devnetOptions(parseFlags([]), '/work');
    expect(o).toMatchObject({
      host: '127.0.0.1',
      ports: { rpc: 8545, node: 8080 },
      stateDir: defaultStateDir(),
      fresh: false,
      backend: undefined,
      epochLength: undefined,
      blockTime: 0,
      restoreBackendState: true, // replay into a restarted backend is the default, as on the real node
    });
    expect(devnetOptions(parseFlags(['--no-restore-backend-state']), '/').restoreBackendState).toBe(false);
  });

  it('reads every flag, resolves paths against where pnpm was run, and ignores the `--` pnpm passes', () => {
    const flags = parseFlags([
      '--',
      '--state-dir',
      'state',
      '--fresh',
      '--no-backend',
      '--epoch-length=12',
      '--rpc-port',
      '0',
      '--port',
      '0',
      '--claimer-account',
      '3',
      '--restore-backend-state',
    ]);
    expect(devnetOptions(parseFlags(['--machine', 'cartesi']), '/').machine).toBe('cartesi');
    expect(devnetOptions(flags, '/work/here')).toMatchObject({
      stateDir: '/work/here/state',
      fresh: true,
      backend: 'none',
      epochLength: 12,
      blockTime: 5, // block-based epochs need blocks to close
      ports: { rpc: 0, node: 0 },
      claimerAccount: 3,
      restoreBackendState: true,
    });
    expect(parseFlags(['-h']).help).toBe(true);
  });

  it('refuses unknown flags, missing values and bad numbers as usage errors that point at --help', () => {
    for (const argv of [['--frsh'], ['--port'], ['stray'], ['--model-name']]) {
      expect(() => parseFlags(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseFlags(argv), argv.join(' ')).toThrow(/see --help/);
    }
    expect(() => devnetOptions(parseFlags(['--epoch-length', '0']), '/')).toThrow(
      /--epoch-length must be an integer ≥ 1/,
    );
    expect(() => intFlag('8x', 'port')).toThrow(UsageError);
    expect(() => devnetOptions(parseFlags(['--machine', 'qemu']), '/')).toThrow(/--machine must be cartesi/);
    expect(() => devnetOptions(parseFlags(['--machine', 'cartesi', '--no-backend']), '/')).toThrow(
      /drop --no-backend/,
    );
    expect(intFlag(undefined, 'port')).toBeUndefined();
  });
});

describe('--ui-origin', () => {
  it('allows the given web origins, none, or the default (the UI on port 5173)', () => {
    expect(devnetOptions(parseFlags([]), '/').uiOrigins).toBeUndefined();
    expect(
      devnetOptions(
        parseFlags(['--ui-origin', 'http://192.168.1.5:5173/', '--ui-origin=https://ui.example']),
        '/',
      ).uiOrigins,
    ).toEqual(['http://192.168.1.5:5173', 'https://ui.example']);
    expect(devnetOptions(parseFlags(['--ui-origin', 'none']), '/').uiOrigins).toEqual([]);
    for (const bad of ['127.0.0.1:5173', 'http://x/path', 'file:///tmp', '*'])
      expect(() => devnetOptions(parseFlags(['--ui-origin', bad]), '/'), bad).toThrow(
        /--ui-origin: .*not a web origin/,
      );
  });
});

describe.skipIf(!sharedModel.available)('pnpm devnet --no-backend', () => {
  it('prints the rollup API URL with its secret; that URL reaches the rollup API, the bare one gets 403', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tt-devnet-cli-'));
    const bin = fileURLToPath(new URL('../bin/devnet.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        bin,
        '--no-backend',
        '--rpc-port',
        '0',
        '--port',
        '0',
        '--state-dir',
        stateDir,
        '--checkpoint',
        sharedModel.checkpoint,
        '--tokenizer',
        sharedModel.tokenizer,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner in 60 s:\n${out}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Rollup API \(your backend\)\s+(http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`devnet exited with ${code}:\n${out}`)));
      });
      expect(url).toMatch(/\/host-runner\/[A-Za-z0-9_-]{32}$/);
      const post = (u: string) =>
        fetch(`${u}/voucher`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ destination: `0x${'11'.repeat(20)}`, payload: '0x' }),
        });
      // with the secret the request reaches the host runner (which has no input in flight), without it nothing does
      const good = await post(url);
      expect([good.status, await good.text()]).toEqual([400, 'invalid request voucher in idle state']);
      const bare = await post(url.replace(/\/[^/]+$/, ''));
      expect(bare.status).toBe(403);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 90_000);
});

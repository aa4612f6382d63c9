// The command line's flags (node:util parseArgs, strict) and what they become for startDevnet.
import { describe, expect, it } from 'vitest';
import { devnetOptions, intFlag, parseFlags, UsageError } from '../src/cli.js';
import { defaultStateDir } from '../src/layout.js';

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
      restoreBackendState: false,
    });
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

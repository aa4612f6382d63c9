import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.ts';
import { conversationIdArg, GLOBAL_USAGE, parseCommandArgs, parseIntegerFlag, parseMilli } from './args.ts';
import { createOutput, jsonReplacer } from './output.ts';

describe('parseMilli', () => {
  it('reads decimals into thousandths exactly (no float rounding)', () => {
    expect(parseMilli('temperature', '0.8', 0, 2000)).toBe(800);
    expect(parseMilli('temperature', '1.5', 0, 2000)).toBe(1500);
    expect(parseMilli('topp', '0.001', 1, 1000)).toBe(1);
    expect(parseMilli('temperature', '2', 0, 2000)).toBe(2000);
    expect(parseMilli('temperature', undefined, 0, 2000)).toBeUndefined();
  });
  it('refuses out-of-range, too precise and non-numeric values with the allowed range', () => {
    expect(() => parseMilli('temperature', '2.001', 0, 2000)).toThrow(/from 0 to 2/);
    expect(() => parseMilli('topp', '0', 1, 1000)).toThrow(/--topp/);
    expect(() => parseMilli('topp', '0.0005', 1, 1000)).toThrow(/3 decimals/);
    expect(() => parseMilli('temperature', '-1', 0, 2000)).toThrow(CliError);
    expect(() => parseMilli('temperature', 'hot', 0, 2000)).toThrow(CliError);
  });
});

describe('parseIntegerFlag', () => {
  it('accepts whole numbers in range only', () => {
    expect(parseIntegerFlag('steps', '256', 1, 512)).toBe(256);
    expect(() => parseIntegerFlag('steps', '0', 1, 512)).toThrow(/from 1 to 512/);
    expect(() => parseIntegerFlag('steps', '1.5', 1, 512)).toThrow(/whole number/);
  });
});

describe('conversationIdArg', () => {
  it('takes one decimal id as a bigint', () => {
    expect(conversationIdArg(['18446744073709551616'], 'tt x ID')).toBe(18446744073709551616n);
    expect(() => conversationIdArg([], 'tt x ID')).toThrow(/exactly one/);
    expect(() => conversationIdArg(['1', '2'], 'tt x ID')).toThrow(/exactly one/);
    expect(() => conversationIdArg(['0x1'], 'tt x ID')).toThrow(/whole number/);
  });
});

describe('parseCommandArgs', () => {
  it('knows the global flags and the command ones, and rejects others as usage errors', () => {
    const p = parseCommandArgs(
      ['7', '--json', '--account', '2', '--wait'],
      { wait: { type: 'boolean' } },
      'tt post ID',
    );
    expect(p.positionals).toEqual(['7']);
    expect(p.values).toMatchObject({ json: true, account: '2', wait: true });
    try {
      parseCommandArgs(['--wiat'], { wait: { type: 'boolean' } }, 'tt post ID');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).hint).toContain('tt post ID');
    }
  });

  it('offers TT_PRIVATE_KEY in --help and says why a key on the command line is exposed', () => {
    expect(GLOBAL_USAGE).toMatch(/TT_PRIVATE_KEY=KEY in the environment/);
    expect(GLOBAL_USAGE).toMatch(/readable by every local user \(ps, \/proc\/<pid>\/cmdline\)/);
  });
});

describe('output', () => {
  it('--json writes one JSON line with bigints as strings and bytes as hex; info goes to stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    const o = createOutput(
      true,
      { write: (s: string) => out.push(s) } as never,
      { write: (s: string) => err.push(s) } as never,
    );
    o.info('working');
    o.result({ id: 5n, bytes: Uint8Array.from([1, 255]) }, () => ['not this']);
    expect(err).toEqual(['working\n']);
    expect(out).toEqual(['{"id":"5","bytes":"0x01ff"}\n']);
    expect(JSON.stringify({ a: 1n }, jsonReplacer)).toBe('{"a":"1"}');
  });
  it('human mode prints the lines and the progress on stdout', () => {
    const out: string[] = [];
    const o = createOutput(
      false,
      { write: (s: string) => out.push(s) } as never,
      { write: () => true } as never,
    );
    o.info('working');
    o.result({}, () => ['a', 'b']);
    expect(out.join('')).toBe('working\na\nb\n');
  });
});

// Output for people and for scripts. With --json, progress goes to stderr and stdout's last line is one JSON object with
// camelCase keys (bigints as decimal strings, bytes as 0x-hex); without it, everything is plain lines on stdout.

export interface Output {
  json: boolean;
  /** A line for the person watching: stdout normally, stderr under --json so stdout stays parseable. */
  info(line: string): void;
  /** The command's result: the JSON object under --json, or the given human lines otherwise. */
  result(value: Record<string, unknown>, human: () => string[]): void;
}

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return '0x' + Buffer.from(value).toString('hex');
  return value;
}

export function createOutput(json: boolean, out = process.stdout, err = process.stderr): Output {
  return {
    json,
    info(line) {
      (json ? err : out).write(line + '\n');
    },
    result(value, human) {
      if (json) out.write(JSON.stringify(value, jsonReplacer) + '\n');
      else for (const line of human()) out.write(line + '\n');
    },
  };
}

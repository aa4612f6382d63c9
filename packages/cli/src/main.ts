// Entry point of `tt`: the first word picks a command module, loaded lazily so `tt llm …` never pays for ethers.
import { commands } from './commands/index.ts';
import { CliError } from './errors.ts';

const [name, ...rest] = process.argv.slice(2);

function usage(): string {
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
  return [
    'usage: tt <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'tt <command> --help for details',
  ].join('\n');
}

async function main(): Promise<number> {
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`tt: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return (await mod.run(rest)) ?? 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof CliError) {
      console.error(`tt: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}`);
      process.exit(err.exitCode);
    }
    console.error(err);
    process.exit(1);
  },
);

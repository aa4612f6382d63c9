// `pnpm machine <command>`:
//   build            build (or check) the machine image: emulator, kernel, linux.bin, root filesystem
//   run -- <cmd>     boot the image and run a shell command in it (as dapp; --root for root), print its cycles
//   info             where the image is and its hashes
//   image --json [--checkpoint F --tokenizer F]   build (or check) the image and the model's drive, print what the
//                    devnet needs to run its backend inside the machine (`pnpm dev --machine cartesi`)
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { MachineError } from './build/errors.ts';
import { BANNER, buildMachine } from './build/index.ts';
import { cacheDir } from './paths.ts';
import { runMachine } from './run/machine.ts';
import { devnetMachine } from './run/devnet.ts';
import { parseArgs } from 'node:util';

const USAGE =
  'usage: pnpm machine build | run [--root] [--max-mcycle N] -- <command> | info | image --json [--checkpoint F --tokenizer F]';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'build') {
    const started = Date.now();
    process.stderr.write(`${BANNER}\n`);
    const image = await buildMachine();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `machine build: ${image.built.length ? `built ${image.built.join(', ')}` : 'everything from the cache'} in ${secs} s\n` +
        `  linux.bin   ${image.linuxBin}\n              sha256 ${image.sha256.linuxBin}\n` +
        `  rootfs.ext2 ${image.rootfs}\n              sha256 ${image.sha256.rootfs}\n` +
        `  cartesi.so  sha256 ${image.sha256.cartesiSo}`,
    );
    return 0;
  }
  if (cmd === 'run') {
    const sep = rest.indexOf('--');
    const opts = sep === -1 ? [] : rest.slice(0, sep);
    const command = (sep === -1 ? rest : rest.slice(sep + 1)).join(' ');
    if (!command) throw new Error(USAGE);
    const limit = opts.indexOf('--max-mcycle');
    const image = await buildMachine({ log: () => {} });
    const r = await runMachine({
      image,
      command,
      user: opts.includes('--root') ? 'root' : 'dapp',
      maxMcycle: limit === -1 ? 2 ** 50 : Number(opts[limit + 1]),
      hashes: true,
      onLine: (l) => process.stdout.write(`${l}\n`),
    });
    return r.exitCode;
  }
  if (cmd === 'image') {
    const { values } = parseArgs({
      args: rest,
      options: {
        json: { type: 'boolean', default: false },
        checkpoint: { type: 'string' },
        tokenizer: { type: 'string' },
      },
      strict: true,
    });
    const m = await devnetMachine({
      checkpoint: values.checkpoint,
      tokenizer: values.tokenizer,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    console.log(values.json ? JSON.stringify(m) : JSON.stringify(m, null, 2));
    return 0;
  }
  if (cmd === 'info') {
    const p = join(cacheDir(), 'image.json');
    if (!existsSync(p))
      throw new MachineError('info', 'no image has been built yet', 'Run `pnpm machine build`');
    console.log(BANNER);
    console.log(readFileSync(p, 'utf8'));
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      err instanceof MachineError
        ? err.message
        : err instanceof Error
          ? (err.stack ?? err.message)
          : String(err),
    );
    process.exit(1);
  },
);

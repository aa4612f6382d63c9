// `pnpm dev` / `pnpm devnet`: check the model (seconds), build what is not built (quietly), start the whole system,
// print where everything is, and stop it all on Ctrl-C with exit code 0.
//
// Only what needs no build is imported up front (the flags, the model check): the devnet itself imports generated
// code (contract bindings), so it is loaded after the build, and a missing model is reported before the build's wait.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidOriginError, MachineError, normalizeOrigin, PortInUseError } from '@tt/cartesi-node';
import { DEVNET_MNEMONIC, devnetAccount } from '@tt/protocol';
import type { Devnet, DevnetOptions } from './devnet.js';
import { defaultStateDir, frontendDir, workspaceRoot } from './layout.js';
import { describeModel, fetchNamedModel, ModelUnavailableError, type ResolvedModel } from './model.js';
import { MachineUnavailableError } from './machine.js';

const HELP = `Usage: pnpm dev | pnpm devnet [-- options]

Checks the model, builds what is not built, then starts a local Hardhat chain (chain id 31337) with the Cartesi v1
contracts, TrustAndTeach, a node that speaks the Cartesi v1 node's APIs, the backend (on this host, or inside the real
Cartesi machine with --machine cartesi), and (pnpm dev) the UI. Ctrl-C stops everything and keeps the state.

Model:
  --model <stories15M|stories260K>  named model, downloaded once into .cache/models (default stories15M)
  --checkpoint <file>               llama2.c checkpoint to run instead (env TT_CHECKPOINT)
  --tokenizer <file>                its tokenizer (env TT_TOKENIZER)
  --model-name <name>               name recorded on-chain for --checkpoint (default: the file name)
  --model-license <license>         license recorded on-chain (default MIT)
                                    (TT_MODEL_MIRROR=<url>: download the named models from a mirror)
Node:
  --epoch-length <blocks>           close epochs every N blocks like the real node (default: as soon as inputs are processed)
  --block-time <seconds>            mine an empty block every N seconds (default 5 with --epoch-length, else off)
  --machine cartesi                 run the backend inside the real Cartesi machine (emulator built from source, our
                                    kernel and root filesystem; the first start builds it: about 10 minutes)
  --no-backend                      do not start the backend; run your own against the rollup API URL printed
                                    (it holds a secret made for this run: only a backend given it can answer inputs)
  --no-restore-backend-state        do not replay processed inputs into a restarted backend (by default it is given
                                    them again first, deterministically, so its state survives restarts)
  --claimer-account <0..19>         test account that owns the Authority and submits claims (default 0)
State and network:
  --state-dir <dir>                 where the chain journal and node state live (default .tt/devnet)
  --fresh                           forget the saved chain and node state first
  --host <address>                  interface to bind (default 127.0.0.1)
  --rpc-port <port>                 chain JSON-RPC port (default 8545)
  --port <port>                     node port: GraphQL, inspect, rollup API (default 8080)
  --frontend / --no-frontend        start the UI on 127.0.0.1:5173 (pnpm dev does)
  --ui-origin <origin>              a web origin allowed to call the chain and the node, e.g. http://192.168.1.5:5173
                                    (repeat it for several; default http://127.0.0.1:5173 and http://localhost:5173;
                                    'none' allows no web page). Other pages are refused, and no page may use
                                    hardhat_*/evm_*/debug_* methods.
  --no-build                        do not run \`pnpm build:runtime\` first (or TT_SKIP_BUILD=1)
`;

const OPTIONS = {
  model: { type: 'string' },
  checkpoint: { type: 'string' },
  tokenizer: { type: 'string' },
  'model-name': { type: 'string' },
  'model-license': { type: 'string' },
  'epoch-length': { type: 'string' },
  'block-time': { type: 'string' },
  machine: { type: 'string' },
  'no-backend': { type: 'boolean', default: false },
  'restore-backend-state': { type: 'boolean', default: false },
  'no-restore-backend-state': { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
  'claimer-account': { type: 'string' },
  'state-dir': { type: 'string' },
  fresh: { type: 'boolean', default: false },
  host: { type: 'string' },
  'rpc-port': { type: 'string' },
  port: { type: 'string' },
  frontend: { type: 'boolean', default: false },
  'no-frontend': { type: 'boolean', default: false },
  'ui-origin': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export type DevnetFlags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];

/** A mistake on the command line: the message says what and points at --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** node:util's parser, strict, so an unknown or misspelt flag is an error rather than silently ignored. */
export function parseFlags(argv: string[]): DevnetFlags {
  // `pnpm dev -- --fresh` hands the script a literal `--`; the flags after it are still the devnet's.
  const args = argv.filter((a) => a !== '--');
  try {
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('. ')[0]} (see --help)`);
  }
}

export function intFlag(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

const stamp = () => new Date().toISOString().slice(11, 19);

function banner(d: Devnet, frontend: string | null, claimer: number) {
  const c = d.deployments.contracts;
  const lines = [
    '',
    '  Trust-and-Teach devnet is running',
    '',
    `  Chain (JSON-RPC, chain id 31337)  ${d.rpcUrl}`,
    `  GraphQL                           ${d.graphqlUrl}`,
    `  Inspect                           ${d.inspectUrl}/<payload>`,
    d.machine
      ? `  Backend                           inside the Cartesi machine (progress: ${d.nodeUrl}/status)`
      : d.node.backend
        ? `  Rollup API (host backend)         ${d.nodeUrl}/host-runner/<secret>  (handed to the backend the devnet runs)`
        : `  Rollup API (your backend)         ${d.rollupUrl}\n` +
          '                                    run your backend with ROLLUP_HTTP_SERVER_URL set to this; keep it to yourself',
    `  Deployments                       ${d.nodeUrl}/deployments.json  (${d.deploymentsPath})`,
    ...(d.model ? [`  Model files                       ${d.nodeUrl}/models/manifest.json`] : []),
    ...(frontend ? [`  UI                                ${frontend}`] : []),
    '',
    `  TrustAndTeach   ${c.TrustAndTeach}`,
    `  InputBox        ${c.InputBox}`,
    `  CartesiDApp     ${c.CartesiDApp}`,
    `  Authority       ${c.Authority}`,
    `  History         ${c.History}`,
    `  Model           ${d.deployments.model.name} (${d.deployments.model.license}), hash ${d.deployments.model.hash}, seqLen ${d.deployments.model.seqLen}`,
    ...(d.model?.warning ? ['', ...modelWarning(d.model)] : []),
    ...(d.machine
      ? [
          `  Machine         template ${d.machine.templateHash}`,
          `                  (its \`cartesi hash\`: booted, backend loaded, at its first finish)`,
          ...wrap(d.machine.banner, 96).map((l) => `                  ${l}`),
        ]
      : []),
    '',
    '  Funded test accounts (10000 ETH each; the public Hardhat test keys: never use them on a real network)',
    ...[0, 1, 2, 3].map((i) => {
      const { address, privateKey } = devnetAccount(i);
      return `  #${i} ${address}  ${privateKey}${i === 0 ? '  (deployer)' : ''}${i === claimer ? '  (Authority owner: submits claims)' : ''}`;
    }),
    ...(claimer >= 4 ? [`  Claims are submitted by test account #${claimer} (the Authority owner).`] : []),
    `  Mnemonic: ${DEVNET_MNEMONIC}`,
    '',
    `  State: ${d.stateDir} (restart keeps the chain and the node state; --fresh starts over)`,
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The model warning as a block that stands out in the banner, wrapped to the terminal's usual width. */
export function modelWarning(m: Pick<ResolvedModel, 'name' | 'warning'>): string[] {
  if (!m.warning) return [];
  const words = `Model ${m.name}: ${m.warning}.`.split(' ');
  const lines: string[] = [];
  let line = '  !! ';
  for (const w of words) {
    if (line.length + w.length > 110) {
      lines.push(line.trimEnd());
      line = '     ';
    }
    line += `${w} `;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** The UI's dev server, started directly (not through pnpm, whose "Command failed" would follow every Ctrl-C). */
function startFrontend(devnet: Devnet): ChildProcess | null {
  const vite = join(frontendDir(), 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    console.log(`${stamp()} frontend: no UI at ${frontendDir()} (run \`pnpm install\`); skipping the UI`);
    return null;
  }
  // its own process group, so the terminal's Ctrl-C reaches only the devnet, which then stops the UI itself
  const child = spawn(process.execPath, [vite, '--host', '127.0.0.1', '--port', '5173', '--strictPort'], {
    cwd: frontendDir(),
    // the UI reads its endpoints from these at start (frontend/src/config/networks.ts), so --port/--rpc-port carry over
    env: { ...process.env, VITE_DEVNET_RPC_URL: devnet.rpcUrl, VITE_DEVNET_NODE_URL: devnet.nodeUrl },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  child.on('error', (e) => console.log(`${stamp()} frontend: cannot start (${e.message})`));
  return child;
}

/** Model files: --checkpoint/--tokenizer (or TT_CHECKPOINT/TT_TOKENIZER), else a named model, fetched once. */
async function modelFiles(
  flags: DevnetFlags,
  file: (p?: string) => string | undefined,
  log: (l: string) => void,
) {
  const checkpoint = file(flags.checkpoint ?? process.env.TT_CHECKPOINT);
  const tokenizer = file(flags.tokenizer ?? process.env.TT_TOKENIZER);
  if (!checkpoint !== !tokenizer)
    throw new ModelUnavailableError(
      'pass both --checkpoint and --tokenizer (or TT_CHECKPOINT and TT_TOKENIZER)',
    );
  if (checkpoint) return { checkpoint, tokenizer, modelName: flags['model-name'] };
  const name = flags.model ?? 'stories15M';
  if (name !== 'stories15M' && name !== 'stories260K')
    throw new UsageError(`--model must be stories15M or stories260K, got "${name}"`);
  const files = await fetchNamedModel(name, log);
  return { checkpoint: files.checkpointPath, tokenizer: files.tokenizerPath, modelName: name };
}

/** What a person can do when the model cannot be had: a short numbered list, each with the command to type. */
export function modelOptions(flags: Pick<DevnetFlags, 'model' | 'frontend'>): string[] {
  const name = flags.model ?? 'stories15M';
  const cmd = flags.frontend ? 'pnpm dev' : 'pnpm devnet';
  const shared = join(workspaceRoot, '..', 'shared', 'models');
  const example = existsSync(join(shared, 'stories260K.bin'))
    ? [
        `       e.g. ${cmd} --checkpoint ../shared/models/stories260K.bin --tokenizer ../shared/models/tokenizer.bin`,
        '       (a smoke-test pair: it runs and verifies, but its text is unreadable)',
      ]
    : [];
  return [
    'What you can do:',
    `  1. Bring the files over: where there is a network, \`pnpm tt model fetch ${name}\` puts them in .cache/models;`,
    `     copy them to this machine, then: pnpm tt model fetch ${name} --from-dir DIR`,
    `  2. Run a llama2.c model you already have: ${cmd} --checkpoint FILE --tokenizer FILE`,
    ...example,
    '  3. Use a mirror that serves the same files (they are checked against the same sha256):',
    `       TT_MODEL_MIRROR=https://mirror.example/models ${cmd}`,
  ];
}

/**
 * \`pnpm build:runtime\`, its output kept unless it fails: a start should print the devnet's lines, not every package's
 * build. A line every 20 s says it is still going (the first build downloads the WebAssembly compiler, ~100 MB).
 */
async function buildRuntime(log: (l: string) => void): Promise<void> {
  const started = Date.now();
  log('devnet: building what is not built yet (pnpm build:runtime)…');
  const output: string[] = [];
  const child = spawn('pnpm', ['-s', 'build:runtime'], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (b: Buffer) => output.push(b.toString()));
  const tick = setInterval(
    () =>
      log(
        `devnet: still building (${Math.round((Date.now() - started) / 1000)} s; the first build downloads the WebAssembly compiler, about 100 MB)…`,
      ),
    20_000,
  );
  const code = await new Promise<number | null>((r) => {
    child.on('error', (e) => {
      output.push(`cannot run pnpm: ${e.message}\n`);
      r(1);
    });
    child.on('close', (c) => r(c));
  });
  clearInterval(tick);
  if (code !== 0) {
    const lines = output.join('').trimEnd().split('\n');
    console.error(lines.slice(-40).join('\n'));
    throw new BuildError(
      `the build failed (exit code ${code}); the last ${Math.min(40, lines.length)} lines are above. Run \`pnpm build\` to see all of it`,
    );
  }
  log(`devnet: build up to date (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export class BuildError extends Error {
  override name = 'BuildError';
}

function machineFlag(value: string | undefined, noBackend: boolean): 'cartesi' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'cartesi') throw new UsageError(`--machine must be cartesi, got "${value}"`);
  if (noBackend)
    throw new UsageError('--machine cartesi runs the backend inside the machine: drop --no-backend');
  return value;
}

/** startDevnet's options from the flags, files resolved against the directory the user ran pnpm in. */
export function devnetOptions(
  flags: DevnetFlags,
  cwd: string,
): Omit<DevnetOptions, 'checkpoint' | 'tokenizer'> {
  const epochLength = intFlag(flags['epoch-length'], 'epoch-length', 1);
  return {
    host: flags.host ?? '127.0.0.1',
    ports: {
      rpc: intFlag(flags['rpc-port'], 'rpc-port') ?? 8545,
      node: intFlag(flags.port, 'port') ?? 8080,
    },
    stateDir: flags['state-dir'] ? resolve(cwd, flags['state-dir']) : defaultStateDir(),
    fresh: flags.fresh,
    modelLicense: flags['model-license'],
    backend: flags['no-backend'] ? 'none' : undefined,
    machine: machineFlag(flags.machine, flags['no-backend']),
    epochLength,
    blockTime: intFlag(flags['block-time'], 'block-time', 0) ?? (epochLength ? 5 : 0),
    claimerAccount: intFlag(flags['claimer-account'], 'claimer-account', 0),
    // the default: the real node replays (a machine snapshot); --restore-backend-state is still accepted
    restoreBackendState: !flags['no-restore-backend-state'],
    uiOrigins: uiOrigins(flags['ui-origin']),
  };
}

/** --ui-origin values checked (a usage error names a bad one); 'none' alone allows no web page; absent: the default. */
function uiOrigins(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  if (values.length === 1 && values[0] === 'none') return [];
  return values.map((v) => {
    try {
      return normalizeOrigin(v);
    } catch (e) {
      if (e instanceof InvalidOriginError) throw new UsageError(`--ui-origin: ${e.message}`);
      throw e;
    }
  });
}

/** Ctrl-C (or SIGTERM, SIGHUP) stops the UI and the devnet, keeping the state, and exits 0; a second Ctrl-C forces. */
function stopOnSignals(devnet: Devnet, frontend: ChildProcess | null, log: (l: string) => void) {
  let stopping = 0;
  const stop = async (signal: string) => {
    if (stopping) {
      // One Ctrl-C arrives twice: from the terminal and forwarded by pnpm. Only a later one is a second Ctrl-C.
      if (Date.now() - stopping < 1_500) return;
      console.log('forced exit');
      process.exit(130);
    }
    stopping = Date.now();
    log(`devnet: ${signal}: stopping (Ctrl-C again to force)…`);
    if (frontend?.pid && frontend.exitCode === null) {
      try {
        process.kill(-frontend.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await devnet.stop();
    log('devnet: stopped; state kept for the next start');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
}

async function main(argv: string[]) {
  const flags = parseFlags(argv);
  if (flags.help) return void console.log(HELP);
  const log = (l: string) => console.log(`${stamp()} ${l}`);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const file = (p?: string) => (p ? resolve(cwd, p) : undefined);
  const options = devnetOptions(flags, cwd);
  // The model first: it takes seconds to find out it is missing, and minutes to build before that.
  let model: Awaited<ReturnType<typeof modelFiles>>;
  try {
    model = await modelFiles(flags, file, log);
    // the files exist and the checkpoint has a llama2.c header; a tokenizer mismatch is shown in the banner
    await describeModel({
      name: model.modelName ?? 'model',
      license: 'MIT',
      checkpointPath: model.checkpoint!,
      tokenizerPath: model.tokenizer!,
    });
  } catch (e) {
    if (e instanceof ModelUnavailableError)
      throw new ModelUnavailableError(`${e.message}\n\n${modelOptions(flags).join('\n')}`);
    throw e;
  }
  if (!flags['no-build'] && !process.env.TT_SKIP_BUILD) await buildRuntime(log);

  const { startDevnet } = await import('./devnet.js');
  log('devnet: starting the chain, the contracts and the node…');
  const devnet = await startDevnet({ ...options, ...model, log });
  const frontend = flags.frontend && !flags['no-frontend'] ? startFrontend(devnet) : null;
  banner(devnet, frontend ? 'http://127.0.0.1:5173' : null, options.claimerAccount ?? 0);
  stopOnSignals(devnet, frontend, log);
}

/** The command: runs main, and turns a failure into a few lines that say what to do, and exit code 1 (2 for usage). */
export function run(argv: string[]): void {
  main(argv).catch((e: unknown) => {
    const err = e as Error & { service?: string };
    const portInUse = err.name === 'PortInUseError';
    const flag = portInUse ? (err.service === 'chain' ? '--rpc-port' : '--port') : null;
    console.error(`\ndevnet: ${err.message}${flag ? ` (${flag} <port>)` : ''}\n`);
    const expected =
      err instanceof ModelUnavailableError ||
      err instanceof UsageError ||
      err instanceof BuildError ||
      err instanceof MachineUnavailableError ||
      err instanceof MachineError ||
      flag;
    if (!expected && process.env.TT_DEBUG) console.error(err.stack);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}

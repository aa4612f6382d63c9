// `pnpm dev` / `pnpm devnet`: start the whole system, print where everything is, stop it all on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEVNET_MNEMONIC, devnetAccount } from '@tt/protocol';
import { startDevnet, type Devnet } from './devnet.js';
import { fetchNamedModel, ModelUnavailableError } from './model.js';
import { defaultStateDir, repoRoot } from './paths.js';

const HELP = `Usage: pnpm dev | pnpm devnet [-- options]

Starts a local Hardhat chain (chain id 31337) with the Cartesi v1 contracts, TrustAndTeach, a node that speaks the
Cartesi v1 node's APIs, the backend in host mode, and (pnpm dev) the UI. Ctrl-C stops everything.

Model:
  --model <stories15M|stories260K>  named model, downloaded once into .cache/models (default stories15M)
  --checkpoint <file>               llama2.c checkpoint to run instead (env TT_CHECKPOINT)
  --tokenizer <file>                its tokenizer (env TT_TOKENIZER)
  --model-name <name>               name recorded on-chain for --checkpoint (default: the file name)
  --model-license <license>         license recorded on-chain (default MIT)
Node:
  --epoch-length <blocks>           close epochs every N blocks like the real node (default: as soon as inputs are processed)
  --block-time <seconds>            mine an empty block every N seconds (default 5 with --epoch-length, else off)
  --no-backend                      do not start the backend; run your own against <node>/host-runner
  --restore-backend-state           replay accepted inputs into a restarted backend first (its memory survives restarts)
  --claimer-account <0..19>         test account that owns the Authority and submits claims (default 0)
State and network:
  --state-dir <dir>                 where the chain journal and node state live (default .tt/devnet)
  --fresh                           forget the saved chain and node state first
  --host <address>                  interface to bind (default 127.0.0.1)
  --rpc-port <port>                 chain JSON-RPC port (default 8545)
  --port <port>                     node port: GraphQL, inspect, rollup API (default 8080)
  --frontend / --no-frontend        start the UI on 127.0.0.1:5173 (pnpm dev does)
`;

interface Flags {
  [k: string]: string | boolean | undefined;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {};
  const booleans = new Set([
    'fresh',
    'frontend',
    'no-frontend',
    'no-backend',
    'restore-backend-state',
    'help',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (a === '-h') {
      flags.help = true;
      continue;
    }
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}" (see --help)`);
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (booleans.has(name)) flags[name] = true;
    else if (inline !== undefined) flags[name] = inline;
    else {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value (see --help)`);
      flags[name] = v;
    }
  }
  const known = new Set([
    ...booleans,
    'model',
    'checkpoint',
    'tokenizer',
    'model-name',
    'model-license',
    'epoch-length',
    'claimer-account',
    'block-time',
    'state-dir',
    'host',
    'rpc-port',
    'port',
  ]);
  for (const k of Object.keys(flags))
    if (!known.has(k)) throw new Error(`unknown option --${k} (see --help)`);
  return flags;
}

function intFlag(flags: Flags, name: string, min = 0): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${v}"`);
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
    `  Rollup API (host backend)         ${d.rollupUrl}`,
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

function startFrontend(root: string, devnet: Devnet): ChildProcess | null {
  const pkg = join(root, 'frontend', 'package.json');
  if (!existsSync(pkg)) {
    console.log(`${stamp()} frontend: no frontend package at ${pkg}; skipping the UI`);
    return null;
  }
  // its own process group, so Ctrl-C handling can stop pnpm and the vite it starts together
  const child = spawn('pnpm', ['--filter', '@tt/frontend', 'run', 'dev'], {
    cwd: root,
    // the UI reads its endpoints from these at start (frontend/src/config/networks.ts), so --port/--rpc-port carry over
    env: { ...process.env, VITE_DEVNET_RPC_URL: devnet.rpcUrl, VITE_DEVNET_NODE_URL: devnet.nodeUrl },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  child.on('error', (e) => console.log(`${stamp()} frontend: cannot start (${e.message})`));
  return child;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help) return void console.log(HELP);
  const log = (l: string) => console.log(`${stamp()} ${l}`);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const file = (p: string | undefined) => (p ? resolve(cwd, p) : undefined);

  let checkpoint = file((flags.checkpoint as string) ?? process.env.TT_CHECKPOINT);
  let tokenizer = file((flags.tokenizer as string) ?? process.env.TT_TOKENIZER);
  let modelName = flags['model-name'] as string | undefined;
  if (!checkpoint !== !tokenizer)
    throw new ModelUnavailableError(
      'pass both --checkpoint and --tokenizer (or TT_CHECKPOINT and TT_TOKENIZER)',
    );
  if (!checkpoint) {
    const name = (flags.model as string | undefined) ?? 'stories15M';
    if (name !== 'stories15M' && name !== 'stories260K')
      throw new Error(`--model must be stories15M or stories260K, got "${name}"`);
    const files = await fetchNamedModel(name, log);
    checkpoint = files.checkpointPath;
    tokenizer = files.tokenizerPath;
    modelName = name;
  }
  const epochLength = intFlag(flags, 'epoch-length', 1);
  const blockTime = intFlag(flags, 'block-time', 0) ?? (epochLength ? 5 : 0);
  const frontendWanted = !!flags.frontend && !flags['no-frontend'];

  log('devnet: starting the chain, the contracts and the node…');
  const devnet = await startDevnet({
    host: (flags.host as string) ?? '127.0.0.1',
    ports: { rpc: intFlag(flags, 'rpc-port') ?? 8545, node: intFlag(flags, 'port') ?? 8080 },
    stateDir: file(flags['state-dir'] as string) ?? defaultStateDir(),
    fresh: !!flags.fresh,
    checkpoint,
    tokenizer,
    modelName,
    modelLicense: flags['model-license'] as string | undefined,
    backend: flags['no-backend'] ? 'none' : undefined,
    epochLength,
    blockTime,
    claimerAccount: intFlag(flags, 'claimer-account', 0),
    restoreBackendState: !!flags['restore-backend-state'],
    log,
  });
  const frontend = frontendWanted ? startFrontend(repoRoot(), devnet) : null;
  banner(devnet, frontend ? 'http://127.0.0.1:5173' : null, intFlag(flags, 'claimer-account', 0) ?? 0);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.log('forced exit');
      process.exit(130);
    }
    stopping = true;
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
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
}

main().catch((e: unknown) => {
  const err = e as Error;
  console.error(`\ndevnet: ${err.message}\n`);
  if (!(err instanceof ModelUnavailableError) && process.env.TT_DEBUG) console.error(err.stack);
  process.exit(1);
});

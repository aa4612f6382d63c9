// `pnpm devnet --machine cartesi` end to end (issue 18): the devnet command itself, as a user starts it, with the
// backend inside the real Cartesi machine on stories260K; the `tt` command line drives the whole flow (prompt → two
// responses → post → rank from two accounts → verify → export). A rejected input leaves the machine's root hash as it
// was. The devnet is killed (SIGKILL) in the middle of an input and started again: nothing is lost, nothing is done
// twice. Then a host-mode devnet gets the same inputs, and every notice, voucher and report must be byte-identical.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRpcProvider, NonceManager } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputBox__factory } from '@tt/cartesi-v1';
import type { NodeStatus } from '@tt/cartesi-node/status';
import { gql, sharedModel, startTestDevnet } from '@tt/devnet/testing';
import { devnetAccount, parseDeployments } from '@tt/protocol';
import { repoRoot } from '../src/paths.ts';
import { models, workDir } from './vm.ts';

const DEVNET = join(repoRoot(), 'packages', 'devnet', 'bin', 'devnet.js');
const TT = join(repoRoot(), 'packages', 'cli', 'bin', 'tt.js');
// non-ASCII on purpose: the prompt reaches the machine and comes back unchanged
const PROMPTS = [
  {
    text: 'Il était une fois — 一个 🐉 dragon',
    args: ['--steps', '80', '--temperature', '1.5', '--topp', '1'],
  },
  { text: 'Once upon a time', args: ['--steps', '40'] },
];
const LONG = { text: 'The little dog ran', args: ['--steps', '256'] };
const BAD_PAYLOAD = '0x010203';

interface TtRun {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, any> | null;
}

/** The real `tt` binary, as a user types it. */
function tt(args: string[]): Promise<TtRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TT, ...args],
      { cwd: repoRoot(), timeout: 900_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const last = stdout.trimEnd().split('\n').at(-1) ?? '';
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout,
          stderr,
          json: last.startsWith('{') ? (JSON.parse(last) as Record<string, any>) : null,
        });
      },
    );
  });
}

async function ttOk(args: string[]): Promise<TtRun> {
  const r = await tt(args);
  if (r.code !== 0) throw new Error(`tt ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  f: () => Promise<T | null | undefined | false>,
  ms = 900_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** `pnpm devnet --machine cartesi` as a child process on free ports; resolves once its banner is printed. */
class DevnetProcess {
  child: ChildProcess;
  log = '';
  private constructor(child: ChildProcess) {
    this.child = child;
  }

  static async start(stateDir: string): Promise<DevnetProcess> {
    const child = spawn(
      process.execPath,
      [
        DEVNET,
        '--machine',
        'cartesi',
        '--checkpoint',
        sharedModel.checkpoint,
        '--tokenizer',
        sharedModel.tokenizer,
        '--model-name',
        'stories260K',
        '--model-license',
        'MIT',
        '--state-dir',
        stateDir,
        '--port',
        '0',
        '--rpc-port',
        '0',
      ],
      { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const d = new DevnetProcess(child);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`the devnet exited (${code}) before it was up:\n${d.log.slice(-4000)}`)),
      ),
    );
    for (const s of [child.stdout!, child.stderr!])
      s.on('data', (b: Buffer) => {
        d.log += b.toString();
        if (process.env.TT_TEST_LOG) process.stdout.write(b);
      });
    await Promise.race([
      until('the devnet banner', async () => d.log.includes('Ctrl-C stops everything.'), 1_800_000),
      exited,
    ]);
    return d;
  }

  kill() {
    this.child.kill('SIGKILL');
    return new Promise((r) => this.child.once('exit', r));
  }
}

/** Every input's status and outputs, as the reader serves them: what must be byte-identical across modes. */
async function outputs(graphqlUrl: string) {
  const data = await gql(
    graphqlUrl,
    '{ inputs(first: 1000) { edges { node { index status msgSender payload vouchers(first: 100) { edges { node { index destination payload } } } notices(first: 100) { edges { node { index payload } } } reports(first: 100) { edges { node { index payload } } } } } } }',
  );
  return data.inputs.edges.map(({ node: n }: any) => ({
    index: n.index,
    status: n.status,
    msgSender: n.msgSender,
    payload: n.payload,
    vouchers: n.vouchers.edges.map((e: any) => e.node),
    notices: n.notices.edges.map((e: any) => e.node),
    reports: n.reports.edges.map((e: any) => e.node),
  }));
}

describe.skipIf(!models.available)(
  `pnpm devnet --machine cartesi, end to end${models.available ? '' : ` [SKIPPED: ${models.missingReason}]`}`,
  () => {
    const dir = workDir('devnet-machine');
    const stateDir = join(dir, 'state');
    let devnet: DevnetProcess;
    let D: string[];
    const deployments = () =>
      parseDeployments(JSON.parse(readFileSync(join(stateDir, 'deployments.json'), 'utf8')));
    const nodeUrl = () => deployments().graphqlUrl!.replace(/\/graphql$/, '');
    const status = async () => (await (await fetch(`${nodeUrl()}/status`)).json()) as NodeStatus;
    let machineOutputs: Awaited<ReturnType<typeof outputs>>;

    beforeAll(async () => {
      const started = Date.now();
      devnet = await DevnetProcess.start(stateDir);
      D = ['--deployments', join(stateDir, 'deployments.json')];
      console.log(`devnet --machine cartesi up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    afterAll(async () => {
      await devnet?.kill();
    });

    it('says in its banner that the backend runs in the machine, with the template hash and whose kernel it is', () => {
      expect(devnet.log).toMatch(/Machine +template 0x[0-9a-f]{64}/);
      expect(devnet.log).toContain('OUR kernel');
      expect(devnet.log).toContain('OUR root filesystem');
      expect(devnet.log).toMatch(/Backend +inside the Cartesi machine/);
    });

    it('answers prompts from inside the machine, and leaves the machine as it was on a rejected input', async () => {
      for (const p of PROMPTS) {
        const r = await ttOk(['prompt', p.text, ...p.args, '--wait', '--json', ...D]);
        expect(r.json!.responses).toHaveLength(2);
      }
      const before = await status();
      expect(before.mode).toBe('machine');
      expect(before.machine!.phase).toBe('ready');
      const d = deployments();
      const provider = new JsonRpcProvider(d.rpcUrl, 31337, { staticNetwork: true, pollingInterval: 50 });
      const stranger = new NonceManager(devnetAccount(2).connect(provider));
      await (
        await InputBox__factory.connect(d.contracts.InputBox, stranger).addInput(
          d.contracts.CartesiDApp!,
          BAD_PAYLOAD,
        )
      ).wait();
      provider.destroy();
      const after = await until('the bad input processed', async () => {
        const s = await status();
        return s.processedInputs === 3 && s;
      });
      expect(after.machine!.stateHash).toBe(before.machine!.stateHash);
      const rows = await outputs(d.graphqlUrl!);
      expect(rows.map((r: any) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED', 'REJECTED']);
      expect(JSON.parse(Buffer.from(rows[2].reports[0].payload.slice(2), 'hex').toString())).toMatchObject({
        type: 'error',
        code: 'unknown-sender',
      });
    });

    it('posts, ranks from two accounts, verifies and exports what the machine wrote', async () => {
      const posted = await ttOk(['post', '0', '--wait', '--json', ...D]);
      expect(posted.json!.vouchers.map((v: any) => v.status)).toEqual(['executed', 'executed']);
      await ttOk(['rank', '0', '--confirm', '--account', '1', ...D]);
      await ttOk(['rank', '0', '--switch', '--account', '2', ...D]);
      const verified = await ttOk(['verify', '0', '--json', ...D]);
      expect(verified.json).toMatchObject({ conversationId: '0', verified: true });
      const out = join(dir, 'prefs.jsonl');
      await ttOk(['export', '--format', 'dpo-jsonl', '--out', out, '--json', ...D]);
      const rows = readFileSync(out, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => r.prompt)).toEqual([PROMPTS[0]!.text, PROMPTS[0]!.text]);
      expect(rows[0].chosen).toBe(rows[1].rejected);
    });

    it('killed in the middle of an input and started again, loses nothing and does nothing twice', async () => {
      await ttOk(['prompt', LONG.text, ...LONG.args, ...D]);
      const mid = await until('input 3 well under way in the machine', async () => {
        const s = await status();
        return s.current?.inputIndex === 3 && (s.current.cycles ?? 0) >= 300e6 && s;
      });
      console.log(
        `killing the devnet at ${((mid.current!.cycles ?? 0) / 1e9).toFixed(2)} G cycles into input 3`,
      );
      await devnet.kill();
      const started = Date.now();
      devnet = await DevnetProcess.start(stateDir);
      expect(devnet.log).toContain('loading the snapshot of the last processed input');
      await until('input 3 processed after the restart', async () => (await status()).processedInputs === 4);
      console.log(`restarted and finished input 3 in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      machineOutputs = await outputs(deployments().graphqlUrl!);
      expect(machineOutputs.map((r: any) => r.status)).toEqual([
        'ACCEPTED',
        'ACCEPTED',
        'REJECTED',
        'ACCEPTED',
      ]);
      for (const r of machineOutputs.filter((r: any) => r.status === 'ACCEPTED')) {
        expect(r.notices.map((n: any) => n.index)).toEqual([0, 1]);
        expect(r.vouchers.map((v: any) => v.index)).toEqual([0, 1]);
      }
      // its vouchers are provable and execute once, like the others
      const posted = await ttOk(['post', '2', '--wait', '--json', ...D]); // conversation 2 is input 3
      expect(posted.json!.vouchers.map((v: any) => v.status)).toEqual(['executed', 'executed']);
    });

    it('writes every notice, voucher and report byte-identical to the host-mode devnet given the same inputs', async () => {
      const host = await startTestDevnet();
      try {
        const H = ['--deployments', host.deploymentsPath];
        for (const p of [...PROMPTS]) await ttOk(['prompt', p.text, ...p.args, '--wait', ...H]);
        const provider = new JsonRpcProvider(host.rpcUrl, 31337, {
          staticNetwork: true,
          pollingInterval: 50,
        });
        const stranger = new NonceManager(devnetAccount(2).connect(provider));
        await (
          await InputBox__factory.connect(host.deployments.contracts.InputBox, stranger).addInput(
            host.deployments.contracts.CartesiDApp,
            BAD_PAYLOAD,
          )
        ).wait();
        provider.destroy();
        await ttOk(['prompt', LONG.text, ...LONG.args, '--wait', ...H]);
        await host.settled(300_000);
        const hostOutputs = await outputs(host.graphqlUrl);
        expect(hostOutputs).toHaveLength(4);
        expect(machineOutputs).toEqual(hostOutputs);
      } finally {
        await host.stop();
      }
    });
  },
);

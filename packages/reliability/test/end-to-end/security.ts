// Contract security on the same chain (only the bound DApp posts, a voucher executes once, responses are immutable,
// rankings belong to their ranker), every voucher's destination, listening sockets, and no secret in any log.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, HDNodeWallet, keccak256, toBeHex, toUtf8Bytes, wordlists } from 'ethers';
import { Authority__factory, CartesiDApp__factory } from '@tt/cartesi-v1';
import { DEVNET_MNEMONIC } from '@tt/protocol';
import { emptyStats, recordStats } from '../../src/stats.ts';
import {
  PLANTED,
  account,
  allVouchers,
  impersonate,
  postResponseArgs,
  promptSubmitted,
  ttIface,
  type DumpedInput,
} from '../../src/devnet.ts';
import { repoRoot } from '../../src/models.ts';
import { TT, devnet, dumpOne, env, provider, run, skipNote } from './context.ts';

const securityStats = emptyStats('contract security');
afterAll(() => {
  if (securityStats.tried) recordStats(securityStats);
});

// ------------------------------------------------------------------------------------------ contract security
const NEW_APPLICATION_ABI = [
  'function newApplication(address authority, address dappOwner, bytes32 templateHash, bytes32 salt) returns (address)',
];

/** The revert's custom error name, decoded with TrustAndTeach's or CartesiDApp's ABI. */
function revertName(err: unknown): string {
  const e = err as { data?: string; info?: { error?: { data?: string } }; error?: { data?: string } };
  const data = e.data ?? e.info?.error?.data ?? e.error?.data;
  for (const iface of [ttIface, new Contract(ZERO, CartesiDApp__factory.abi).interface]) {
    try {
      const p = typeof data === 'string' ? iface.parseError(data) : null;
      if (p) return p.name;
    } catch {
      /* next */
    }
  }
  return `unknown revert (${String((err as Error).message).slice(0, 200)})`;
}
const ZERO = '0x0000000000000000000000000000000000000000';

describe.skipIf(!run)(`contract security${skipNote}`, () => {
  let fresh: { index: number; vouchers: DumpedInput['vouchers']['edges'] };
  let owner: string;

  beforeAll(async () => {
    if (!run) return;
    // a conversation whose vouchers nobody executed yet
    const alice = account(devnet.rpcUrl, 12);
    const tt = new Contract(TT, ttIface, alice.wallet);
    const r = await (await tt.getFunction('sendPrompt(string,uint32)')('A cat', 48)).wait();
    await devnet.settled(60_000);
    const d = (await dumpOne(promptSubmitted(r).inputIndex))!;
    expect(d.status).toBe('ACCEPTED');
    fresh = { index: d.index, vouchers: d.vouchers.edges };
    owner = await new Contract(TT, ttIface, provider).getFunction('owner')();
    alice.destroy();
  });

  const check = (name: string, ok: boolean) => {
    securityStats.tried++;
    if (ok) securityStats.rejectedAsExpected++;
    else securityStats.unexpected++;
    expect(ok, name).toBe(true);
  };

  async function callAs(from: string, data: string): Promise<string> {
    try {
      await provider.call({ from, to: TT, data });
      return 'ok';
    } catch (e) {
      return revertName(e);
    }
  }

  it('only the bound DApp posts responses: a stranger, the owner and another Cartesi DApp are refused', async () => {
    const payload = fresh.vouchers[0]!.node.payload;
    const { CartesiDApp } = devnet.deployments.contracts;
    check('the bound DApp may (positive control)', (await callAs(CartesiDApp, payload)) === 'ok');
    check('a stranger may not', (await callAs(account(devnet.rpcUrl, 13).address, payload)) === 'NotDApp');
    check('the owner may not', (await callAs(owner, payload)) === 'NotDApp');
    check('TrustAndTeach itself may not', (await callAs(TT, payload)) === 'NotDApp');
    // a stranger actually sending it
    const mallory = account(devnet.rpcUrl, 13);
    const sentErr = await mallory.wallet.sendTransaction({ to: TT, data: payload }).then(
      () => 'sent',
      (e) => revertName(e),
    );
    check("a stranger's transaction reverts", sentErr === 'NotDApp');
    mallory.destroy();
  });

  it('a voucher proven for a different Cartesi DApp cannot post: it executes there, and TrustAndTeach refuses the call', async () => {
    const { Authority, CartesiDApp } = devnet.deployments.contracts;
    const factoryAddress = (devnet.deployments.cartesi as Record<string, string>).CartesiDAppFactory!;
    const mallory = account(devnet.rpcUrl, 14);
    const factory = new Contract(factoryAddress, NEW_APPLICATION_ABI, mallory.wallet);
    const salt = keccak256(toUtf8Bytes('reliability: another dapp'));
    const other = await factory
      .getFunction('newApplication')
      .staticCall(Authority, mallory.address, ZERO_HASH32, salt);
    await (await factory.getFunction('newApplication')(Authority, mallory.address, ZERO_HASH32, salt)).wait();
    expect(other.toLowerCase()).not.toBe(CartesiDApp.toLowerCase());
    // the other application's epoch: one input with the very voucher TrustAndTeach's DApp emitted
    const voucher = fresh.vouchers[0]!.node;
    const { proofs } = await import('@tt/cartesi-node');
    const epoch = proofs.buildEpochProofs([
      { accepted: true, vouchers: [{ destination: TT, payload: voucher.payload }], notices: [] },
    ]);
    // the Authority's owner (account 0, the node's claimer, idle now) claims it for the other application
    const authorityOwner = await new Contract(Authority, Authority__factory.abi, provider).getFunction(
      'owner',
    )();
    await impersonate(provider, authorityOwner);
    const claimData = new Contract(Authority, Authority__factory.abi).interface.encodeFunctionData(
      'submitClaim',
      [proofs.encodeClaim(other, epoch.epochHash, 0, 0)],
    );
    const h = await provider.send('eth_sendTransaction', [
      { from: authorityOwner, to: Authority, data: claimData },
    ]);
    expect((await provider.waitForTransaction(h))!.status).toBe(1);
    const otherDApp = new Contract(other, CartesiDApp__factory.abi, mallory.wallet);
    const proof = { validity: epoch.vouchers[0]![0]!, context: proofs.encodeContext(0) };
    const ok = await otherDApp.getFunction('executeVoucher').staticCall(TT, voucher.payload, proof);
    check('the other DApp runs the voucher but its call to TrustAndTeach fails', ok === false);
    await (await otherDApp.getFunction('executeVoucher')(TT, voucher.payload, proof)).wait();
    const conv = ttIface.parseTransaction({ data: voucher.payload })!.args;
    const tt = new Contract(TT, ttIface, provider);
    check('nothing was posted', (await tt.getFunction('responseHash')(conv[0], conv[1])) === ZERO_HASH32);
    mallory.destroy();
  });

  it('a voucher executes once; a posted response cannot be replaced', async () => {
    const alice = account(devnet.rpcUrl, 12);
    const dapp = new Contract(
      devnet.deployments.contracts.CartesiDApp,
      CartesiDApp__factory.abi,
      alice.wallet,
    );
    for (const v of fresh.vouchers)
      await (
        await dapp.getFunction('executeVoucher')(v.node.destination, v.node.payload, v.node.proof)
      ).wait();
    for (const v of fresh.vouchers) {
      const again = await dapp
        .getFunction('executeVoucher')(v.node.destination, v.node.payload, v.node.proof)
        .then(
          () => 'executed again',
          (e) => revertName(e),
        );
      check('re-execution reverts', again === 'VoucherReexecutionNotAllowed');
      check(
        'marked executed',
        (await dapp.getFunction('wasVoucherExecuted')(fresh.index, v.node.index)) === true,
      );
    }
    // the bound DApp itself cannot overwrite a response with other bytes
    const a = postResponseArgs(fresh.vouchers[0]!.node.payload)!;
    const replaced = await callAs(
      devnet.deployments.contracts.CartesiDApp!,
      ttIface.encodeFunctionData('postResponse', [
        a.conversationId,
        a.responseIndex,
        toUtf8Bytes('a different text'),
        a.modelHash,
        a.seed,
        a.steps,
        a.temperatureMilli,
        a.topPMilli,
      ]),
    );
    check('responses are immutable', replaced === 'ResponseAlreadyPosted');
    alice.destroy();
  });

  it("rankings belong to their ranker: B ranking (and re-ranking) never changes A's", async () => {
    const id = ttIface.parseTransaction({ data: fresh.vouchers[0]!.node.payload })!.args[0] as bigint;
    const a = account(devnet.rpcUrl, 15);
    const b = account(devnet.rpcUrl, 16);
    const ttA = new Contract(TT, ttIface, a.wallet);
    const ttB = new Contract(TT, ttIface, b.wallet);
    await (await ttA.getFunction('submitRanking')(id, [1, 0])).wait();
    await (await ttB.getFunction('submitRanking')(id, [0, 1])).wait();
    await (await ttB.getFunction('submitRanking')(id, [1, 0])).wait();
    await (await ttB.getFunction('submitRanking')(id, [0, 1])).wait();
    const view = new Contract(TT, ttIface, provider);
    check(
      "A's ranking unchanged",
      JSON.stringify((await view.getFunction('rankingOf')(id, a.address)).map(Number)) === '[1,0]',
    );
    check(
      "B's ranking is B's latest",
      JSON.stringify((await view.getFunction('rankingOf')(id, b.address)).map(Number)) === '[0,1]',
    );
    check('two rankers', Number(await view.getFunction('rankingCount')(id)) === 2);
    // nobody but B can change B's: A's submission only ever writes A's slot
    await (await ttA.getFunction('submitRanking')(id, [0, 1])).wait();
    check(
      "B's ranking untouched by A",
      JSON.stringify((await view.getFunction('rankingOf')(id, b.address)).map(Number)) === '[0,1]',
    );
    a.destroy();
    b.destroy();
  });

  it('after all the fuzzing, every voucher the backend ever emitted goes to TrustAndTeach', async () => {
    const vs = await allVouchers(devnet.graphqlUrl);
    expect(vs.length).toBeGreaterThan(0);
    const elsewhere = vs.filter((v) => v.destination.toLowerCase() !== TT.toLowerCase());
    check(
      `${vs.length} vouchers, none elsewhere (${elsewhere.map((v) => v.destination).join(',')})`,
      elsewhere.length === 0,
    );
  });

  it('the chain, the node and the UI dev server bind 127.0.0.1 by default', async () => {
    const ports = [new URL(devnet.rpcUrl).port, new URL(devnet.nodeUrl).port].map(Number);
    const listening = listeningSockets();
    for (const port of ports) {
      const mine = listening.filter((l) => l.port === port);
      check(`something listens on ${port}`, mine.length > 0);
      check(
        `port ${port} listens only on 127.0.0.1 (${mine.map((m) => m.address).join(', ')})`,
        mine.every((m) => m.address === '127.0.0.1'),
      );
    }
    // the UI: `pnpm dev` runs Vite with this config
    const vite = readFileSync(join(repoRoot, 'frontend', 'vite.config.ts'), 'utf8');
    check('vite dev server host 127.0.0.1', /server:\s*\{[^}]*host:\s*'127\.0\.0\.1'/.test(vite));
    check('vite preview host 127.0.0.1', /preview:\s*\{[^}]*host:\s*'127\.0\.0\.1'/.test(vite));
    const scripts = JSON.parse(readFileSync(join(repoRoot, 'frontend', 'package.json'), 'utf8'))
      .scripts as Record<string, string>;
    for (const name of ['dev', 'preview'])
      check(
        `frontend ${name} script binds 127.0.0.1 (${scripts[name]})`,
        /--host 127\.0\.0\.1\b/.test(scripts[name] ?? '') &&
          !/--host (0\.0\.0\.0|::)/.test(scripts[name] ?? ''),
      );
  });

  it('no secret in the devnet and backend logs, nor in a CLI run with TT_PRIVATE_KEY', async () => {
    // the CLI, signing with a fresh funded key given only through the environment
    const key = HDNodeWallet.createRandom();
    await provider.send('hardhat_setBalance', [key.address, toBeHex(10n ** 20n)]);
    const tt = join(repoRoot, 'packages', 'cli', 'bin', 'tt.js');
    const cliEnv = { ...process.env, TT_PRIVATE_KEY: key.privateKey };
    const outputs: string[] = [];
    for (const args of [
      ['prompt', 'Once upon a time', '--steps', '48', '--deployments', devnet.deploymentsPath],
      ['prompt', 'Once upon a time', '--steps', '48', '--deployments', devnet.deploymentsPath, '--json'],
      ['prompt', '', '--deployments', devnet.deploymentsPath], // an error path
      ['rank', '999999', '0,1', '--deployments', devnet.deploymentsPath], // a revert path
      ['prompt', 'x', '--rpc', 'http://127.0.0.1:9', '--deployments', devnet.deploymentsPath], // nothing listening
    ]) {
      const r = await run$(process.execPath, [tt, ...args], cliEnv);
      outputs.push(r);
    }
    const cliText = outputs.join('\n');
    expect(cliText).toMatch(/conversation|input/i); // the CLI did run
    await devnet.settled(60_000);
    const logText = env.logs.join('\n');
    const texts: [string, string][] = [
      ['devnet + backend logs', logText],
      ['CLI output', cliText],
    ];
    for (const [where, text] of texts) {
      const lower = text.toLowerCase();
      for (const secret of [PLANTED.privateKey, key.privateKey])
        check(
          `${where}: a private key from the environment is not printed`,
          !lower.includes(secret.slice(2).toLowerCase()),
        );
      check(
        `${where}: the planted mnemonic is not printed`,
        !lower.includes(PLANTED.mnemonic.split(' ').slice(0, 4).join(' ')),
      );
      const phrases = mnemonicLike(text).filter((m) => m !== DEVNET_MNEMONIC);
      check(`${where}: no mnemonic but the public test one (${phrases.join(' | ')})`, phrases.length === 0);
    }
  });
});

const ZERO_HASH32 = '0x' + '0'.repeat(64);

function run$(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { env, timeout: 120_000, cwd: repoRoot, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        resolve(`${stdout}\n${stderr}\n${err ? `exit ${(err as { code?: unknown }).code}` : 'exit 0'}`),
    );
  });
}

/** Runs of 12 or more BIP-39 English words in a row. */
function mnemonicLike(text: string): string[] {
  const list = wordlists.en!;
  const words = text.toLowerCase().split(/[^a-z]+/);
  const out: string[] = [];
  let run: string[] = [];
  for (const w of [...words, '']) {
    if (w && list.getWordIndex(w) >= 0) run.push(w);
    else {
      if (run.length >= 12) out.push(run.join(' '));
      run = [];
    }
  }
  return out;
}

/** Listening TCP sockets from /proc/net/tcp and tcp6: address and port. */
function listeningSockets(): { address: string; port: number }[] {
  const out: { address: string; port: number }[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // LISTEN
      const [hex, portHex] = f[1]!.split(':') as [string, string];
      let address: string;
      if (hex.length === 8)
        address = [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
      else if (hex === '00000000000000000000000000000000') address = '::';
      else if (hex === '0000000000000000FFFF00000100007F') address = '127.0.0.1';
      else if (hex === '00000000000000000000000001000000') address = '::1';
      else address = hex;
      out.push({ address, port: parseInt(portHex, 16) });
    }
  }
  return out;
}

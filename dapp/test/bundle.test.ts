// The closest this machine gets to the Cartesi machine: the bundled backend, copied alone into an empty folder (no
// node_modules anywhere above it), run by plain `node` under the devnet's supervisor like rollup-init runs it, talking
// only to the devnet's rollup API on 127.0.0.1. A prompt goes through TrustAndTeach and the InputBox; the two
// vouchers are executed on-chain with the node's proofs and must store exactly the notices' bytes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { TrustAndTeach__factory } from '@tt/contracts';
import { ENGINE_VERSION } from '@tt/llm';
import { AbiCoder, Contract, concat, getBytes, keccak256 } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  account,
  dappDir,
  gql,
  haveModel,
  inspect,
  modelNote,
  outcome,
  recordingLog,
  startTestDevnet,
  type InputOutcome,
  type TestDevnet,
} from './harness.ts';

const PROMPT = Uint8Array.of(...new TextEncoder().encode('Once upon a time '), 0xe2, 0x82); // ends in a cut '€'

// Bundled afresh from the current sources into an empty temp folder, once per file (dist/ may be in use by others).
let bundled: string | undefined;
function bundleDir(): string {
  if (!bundled) {
    bundled = mkdtempSync(join(tmpdir(), 'tt-dapp-bundle-'));
    execFileSync(process.execPath, [join(dappDir, 'scripts/build.mjs'), bundled], { stdio: 'pipe' });
  }
  return bundled;
}

function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) found.push(join(d, 'node_modules'));
    if (d === parse(d).root) return found;
  }
}

describe('the bundle', () => {
  it('imports nothing but Node built-ins at run time', () => {
    const dir = bundleDir();
    expect(readdirSync(dir).sort()).toEqual([
      'backend.mjs',
      'llm-scalar.wasm',
      'llm-simd.wasm',
      'llm-train-scalar.wasm',
      'llm-train-simd.wasm',
    ]);
    const source = readFileSync(join(dir, 'backend.mjs'), 'utf8');
    const specifiers = [...source.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    const dynamic = [...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of [...specifiers, ...dynamic])
      expect(s.startsWith('node:') || builtinModules.includes(s), s).toBe(true);
  });
});

describe('the bundle at start-up', () => {
  const start = (env: Record<string, string>) => {
    const dir = bundleDir();
    return spawnSync(process.execPath, ['backend.mjs'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  };

  it('exits 1 naming every missing variable, rather than waiting on a rollup API it cannot configure', () => {
    const r = start({});
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'missing environment variable(s) ROLLUP_HTTP_SERVER_URL, TT_CHECKPOINT, TT_TOKENIZER, TT_CONTRACT',
    );
  });

  it('exits 1 with the engine’s explanation when the checkpoint is not one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-bad-model-'));
    writeFileSync(join(dir, 'bad.bin'), Buffer.alloc(100, 7));
    writeFileSync(join(dir, 'tok.bin'), Buffer.alloc(100, 7));
    const r = start({
      ROLLUP_HTTP_SERVER_URL: 'http://127.0.0.1:9',
      TT_CHECKPOINT: join(dir, 'bad.bin'),
      TT_TOKENIZER: join(dir, 'tok.bin'),
      TT_CONTRACT: '0x' + '11'.repeat(20),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[tt-dapp\] error: could not load the engine: .*checkpoint/i);
  });
});

describe.skipIf(!haveModel)(`the bundled backend under plain node, end to end${modelNote}`, () => {
  let devnet: TestDevnet;
  let dir: string;
  let alice: ReturnType<typeof account>;
  let result: InputOutcome;
  let inputIndex: number;
  const log = recordingLog();

  beforeAll(async () => {
    dir = bundleDir();
    devnet = await startTestDevnet({
      // the devnet sets ROLLUP_HTTP_SERVER_URL, TT_CHECKPOINT, TT_TOKENIZER, TT_CONTRACT (TrustAndTeach), TT_MODEL_*
      backend: {
        command: process.execPath,
        args: ['backend.mjs'],
        cwd: dir,
        env: { NODE_OPTIONS: '', NODE_PATH: '' },
      },
      log: (l) => log.info(l),
    });
    alice = account(devnet, 1);
    const tt = new Contract(
      devnet.deployments.contracts.TrustAndTeach,
      TrustAndTeach__factory.abi,
      alice.wallet,
    );
    // sendPrompt takes a string, whose ABI encoding is that of bytes: raw, not-UTF-8 bytes go through unchanged
    const fn = tt.getFunction('sendPrompt(string,uint32,uint32,uint32)');
    const data = concat([
      fn.fragment.selector,
      AbiCoder.defaultAbiCoder().encode(['bytes', 'uint32', 'uint32', 'uint32'], [PROMPT, 64, 900, 950]),
    ]);
    const before = (await gql<{ inputs: { totalCount: number } }>(devnet, '{ inputs { totalCount } }')).inputs
      .totalCount;
    await (await alice.wallet.sendTransaction({ to: await tt.getAddress(), data })).wait();
    inputIndex = before;
    await devnet.settled(120_000);
    result = await outcome(devnet, inputIndex);
  }, 180_000);

  afterAll(async () => {
    alice?.destroy();
    await devnet?.stop();
  });

  it('runs from a folder with no node_modules above it', () => {
    expect(nodeModulesAbove(dir)).toEqual([]);
  });

  it('answers the prompt with two notices and two vouchers to TrustAndTeach, logging tokens per second', () => {
    expect(result.status).toBe('ACCEPTED');
    expect(result.notices.map((n) => n.conversationId)).toEqual(['0', '0']);
    expect(result.vouchers.map((v) => v.destination)).toEqual(
      Array(2).fill(devnet.deployments.contracts.TrustAndTeach.toLowerCase()),
    );
    expect(
      log.lines.filter((l) =>
        /response [01]: \d+ tokens, \d+ bytes in [\d.]+ s \([\d.]+ tokens\/s, (simd|scalar)\)/.test(l),
      ),
    ).toHaveLength(2);
  });

  it('received the prompt bytes exactly (the token count includes the cut character)', async () => {
    const n = result.notices[0]!;
    expect(n.promptTokens).toBeGreaterThan(2);
    // the same bytes tokenized by the engine used in-process give the same count
    const { loadEngine } = await import('@tt/llm');
    const engine = await loadEngine({
      checkpoint: readFileSync(devnet.model!.checkpointPath),
      tokenizer: readFileSync(devnet.model!.tokenizerPath),
    });
    expect(engine.encode(PROMPT, { bos: true }).length).toBe(n.promptTokens);
  });

  it('answers inspect info with the model, the engine, the contract and the counters', async () => {
    const info = await inspect(devnet, 'info');
    expect(info.reports).toEqual([
      {
        type: 'info',
        model: {
          name: 'stories260K',
          license: 'MIT',
          hash: devnet.deployments.model.hash,
          config: {
            dim: 64,
            hiddenDim: 172,
            nLayers: 5,
            nHeads: 8,
            nKvHeads: 4,
            vocabSize: 512,
            seqLen: 512,
            sharedClassifier: true,
            // the Llama 2 tokenizer beside stories260K: the mismatch the UI's model card warns about
            tokenizerPieces: 32000,
          },
        },
        engineVersion: ENGINE_VERSION,
        contract: devnet.deployments.contracts.TrustAndTeach,
        counters: { processed: 1, accepted: 1, rejected: 0 },
      },
    ]);
  });

  it('has vouchers that execute on-chain and store exactly the notices’ bytes', async () => {
    const proofFields =
      'proof { context validity { inputIndexWithinEpoch outputIndexWithinInput outputHashesRootHash vouchersEpochRootHash noticesEpochRootHash machineStateHash outputHashInOutputHashesSiblings outputHashesInEpochSiblings } }';
    const tt = TrustAndTeach__factory.connect(devnet.deployments.contracts.TrustAndTeach, alice.provider);
    type Proof = Parameters<typeof alice.dapp.executeVoucher>[2];
    for (const i of [0, 1]) {
      const { voucher } = await gql<{ voucher: { destination: string; payload: string; proof: Proof } }>(
        devnet,
        `{ voucher(voucherIndex: ${i}, inputIndex: ${inputIndex}) { destination payload ${proofFields} } }`,
      );
      const receipt = (await (
        await alice.dapp.executeVoucher(voucher.destination, voucher.payload, voucher.proof)
      ).wait())!;
      expect(receipt.status).toBe(1);
      expect(await alice.dapp.wasVoucherExecuted(inputIndex, i)).toBe(true);
      const posted = receipt.logs
        .map((l) => tt.interface.parseLog(l))
        .find((e) => e?.name === 'ResponsePosted');
      const textHex = result.notices[i]!.textHex as string;
      expect(posted, 'ResponsePosted event').toBeTruthy();
      expect(getBytes(posted!.args.text)).toEqual(getBytes(textHex));
      expect(await tt.responseHash(0n, i)).toBe(keccak256(textHex));
    }
  });
});

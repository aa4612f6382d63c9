// The backend itself inside the real Cartesi machine: a batch of real inputs (prompts, rejected senders, bad payloads,
// inspects), recorded exactly as the devnet's node handed them to the host-mode backend, is run again by the same
// bundle (`backend.mjs --inputs <drive> --outputs <drive>`) on the host and in the machine; every notice, voucher,
// report and accept/reject must be byte-identical to what the devnet recorded. A flipped weight bit must show.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevnet, type Devnet } from '@tt/devnet';
import { devnetAccount, encodePromptPayload } from '@tt/protocol';
import { concat, hexlify, toUtf8Bytes } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatResults, readDrive, writeDrive, type BatchResult } from '@tt/dapp/batch';
import { gql, testAccount } from '@tt/devnet/testing';
import { dappDist } from '../src/build/rootfs.ts';
import { makeFilesDrive } from '../src/run/drives.ts';
import { blankDrive, type Drive } from '../src/run/machine.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { models, run, workDir } from './vm.ts';

const MODEL_ENV = { TT_MODEL_NAME: 'stories260K', TT_MODEL_LICENSE: 'MIT' };
const TRUSTED = 3; // the account the backend trusts as "TrustAndTeach", so the batch can hold payloads the contract never sends
const STRANGER = 2;

const prompt = (id: bigint, text: string, steps: number, temperatureMilli = 800, topPMilli = 900) =>
  hexlify(
    encodePromptPayload({
      conversationId: id,
      prompt: toUtf8Bytes(text),
      steps,
      temperatureMilli,
      topPMilli,
    }),
  );

/** A test account that sends raw inputs, or prompts through the real contract. */
function account(devnet: Devnet, index: number) {
  const a = testAccount(devnet, index);
  return {
    destroy: a.destroy,
    addInput: (payload: string) => a.addInput(payload),
    async sendPrompt(text: string, steps: number) {
      await (await a.trustAndTeach['sendPrompt(string,uint32)'](text, steps)).wait();
    },
  };
}

const STATUS: Record<string, 'accept' | 'reject'> = {
  ACCEPTED: 'accept',
  REJECTED: 'reject',
  Accepted: 'accept',
  Rejected: 'reject',
};

interface DevnetRun {
  requests: unknown[];
  /** what the devnet recorded, in the batch's output format */
  expected: string;
  contract: string;
}

/** Sends the batch through a devnet whose node runs the bundled backend on the host, and records both sides. */
async function runOnDevnet(): Promise<DevnetRun> {
  const dir = workDir('devnet');
  const devnet = await startDevnet({
    ports: { rpc: 0, node: 0 },
    stateDir: dir,
    fresh: true,
    checkpoint: models.checkpoint,
    tokenizer: models.tokenizer,
    modelName: MODEL_ENV.TT_MODEL_NAME,
    modelLicense: MODEL_ENV.TT_MODEL_LICENSE,
    backend: 'none',
    finishTimeoutMs: 1000,
    log: () => {},
  });
  const proxy = await startRecordingProxy(devnet.rollupUrl);
  const contract = devnetAccount(TRUSTED).address.toLowerCase();
  let backend: ChildProcess | null = null;
  try {
    backend = spawn(process.execPath, [join(dappDist(), 'backend.mjs')], {
      env: {
        ...process.env,
        ...MODEL_ENV,
        ROLLUP_HTTP_SERVER_URL: proxy.url,
        TT_CHECKPOINT: models.checkpoint,
        TT_TOKENIZER: models.tokenizer,
        TT_CONTRACT: contract,
      },
      stdio: ['ignore', process.env.TT_TEST_LOG ? 'inherit' : 'ignore', 'inherit'],
    });
    const trusted = account(devnet, TRUSTED);
    const stranger = account(devnet, STRANGER);
    const user = account(devnet, 1);
    const good = prompt(1n, 'Once upon a time', 24);
    await trusted.addInput(good); // a sampled prompt
    await trusted.addInput(prompt(2n, 'Lily and Ben found a ☀ in the park', 64, 0)); // greedy, a multi-byte character
    await stranger.addInput(good); // a sender the backend does not take prompts from
    await user.sendPrompt('Once upon a time', 16); // the real contract, which this backend does not trust here
    await trusted.addInput('0x'); // bad payloads
    await trusted.addInput('0x010203');
    await trusted.addInput(concat([good, '0x00']));
    await trusted.addInput(prompt(3n, 'Once upon a time there was a big red ball', 3)); // more prompt tokens than steps
    await trusted.addInput(prompt(4n, 'The end', 12, 2000, 1000)); // the hottest sampling the contract allows
    await devnet.settled(300_000);
    const inspects: BatchResult[] = [];
    for (const path of ['info', 'no-such-path']) {
      const res = (await (await fetch(`${devnet.inspectUrl}/${path}`)).json()) as {
        status: string;
        reports: { payload: string }[];
      };
      inspects.push({
        request: -1,
        request_type: 'inspect_state',
        status: STATUS[res.status] ?? null,
        vouchers: [],
        notices: [],
        reports: res.reports.map((r) => ({ payload: r.payload })),
      });
    }
    const data = await gql<{
      inputs: {
        edges: {
          node: {
            index: number;
            status: string;
            vouchers: { edges: { node: { destination: string; payload: string } }[] };
            notices: { edges: { node: { payload: string } }[] };
            reports: { edges: { node: { payload: string } }[] };
          };
        }[];
      };
    }>(
      devnet.graphqlUrl,
      '{ inputs(first: 1000) { edges { node { index status vouchers(first: 1000) { edges { node { destination payload } } } notices(first: 1000) { edges { node { payload } } } reports(first: 1000) { edges { node { payload } } } } } } }',
    );
    const advances: BatchResult[] = data.inputs.edges.map(({ node: n }) => ({
      request: -1,
      request_type: 'advance_state',
      input_index: n.index,
      status: STATUS[n.status] ?? null,
      vouchers: n.vouchers.edges.map((e) => ({
        destination: e.node.destination.toLowerCase(),
        payload: e.node.payload,
      })),
      notices: n.notices.edges.map((e) => ({ payload: e.node.payload })),
      reports: n.reports.edges.map((e) => ({ payload: e.node.payload })),
    }));
    const expected = [...advances, ...inspects].map((r, request) => ({ ...r, request }));
    return { requests: [...proxy.requests], expected: formatResults(expected), contract };
  } finally {
    backend?.kill('SIGTERM');
    await proxy.close();
    await devnet.stop();
  }
}

function batchEnv(contract: string, dir: string) {
  return {
    ...MODEL_ENV,
    TT_CONTRACT: contract,
    TT_CHECKPOINT: `${dir}/stories260K.bin`,
    TT_TOKENIZER: `${dir}/tokenizer.bin`,
  };
}

async function batchInMachine(d: DevnetRun, tamper?: number): Promise<string> {
  const dir = workDir('batch');
  const input = blankDrive(join(dir, 'inputs.bin'), 4 << 20);
  writeDrive(input, JSON.stringify(d.requests));
  const drives: Drive[] = [
    {
      label: 'model',
      file: await makeFilesDrive([models.checkpoint, models.tokenizer], {
        workDir: dir,
        label: 'model',
        tamper: tamper === undefined ? undefined : { file: models.checkpoint, offset: tamper, xor: 0x01 },
      }),
    },
    { label: 'inputs', file: input, mount: false, user: 'dapp' },
    {
      label: 'outputs',
      file: blankDrive(join(dir, 'outputs.bin'), 4 << 20),
      shared: true,
      mount: false,
      user: 'dapp',
    },
  ];
  const env = Object.entries(batchEnv(d.contract, '/mnt/model'))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const r = await run(
    `backend batch of ${d.requests.length} requests in the machine${tamper === undefined ? '' : ' (one weight bit flipped)'}`,
    {
      command: `${env} node /opt/tt/backend.mjs --inputs /dev/pmem2 --outputs /dev/pmem3`,
      drives,
    },
  );
  expect(r.exitCode, r.console.slice(-3000)).toBe(0);
  return readDrive(drives[2]!.file);
}

describe.skipIf(!models.available)(
  `the backend in the Cartesi machine${models.available ? '' : ` [SKIPPED: ${models.missingReason}]`}`,
  () => {
    let devnetRun: DevnetRun;

    beforeAll(async () => {
      devnetRun = await runOnDevnet();
      writeFileSync(join(workDir('expected'), 'expected.jsonl'), devnetRun.expected);
    });

    it('the devnet recorded the whole batch: prompts answered, strangers and bad payloads rejected, inspects answered', () => {
      const lines = devnetRun.expected
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as BatchResult);
      expect(devnetRun.requests).toHaveLength(11);
      expect(lines.map((l) => l.status)).toEqual([
        'accept',
        'accept',
        'reject',
        'reject',
        'reject',
        'reject',
        'reject',
        // a prompt with more tokens than its steps: accepted with its report and a rejectPrompt voucher, so the
        // chain can show it Rejected (issue 16)
        'accept',
        'accept',
        'accept',
        'reject',
      ]);
      for (const l of lines.filter(
        (l) => l.request_type === 'advance_state' && l.status === 'accept' && l.request !== 7,
      )) {
        expect(l.notices).toHaveLength(2);
        expect(l.vouchers).toHaveLength(2);
      }
      const refused = lines[7]!;
      expect([refused.notices.length, refused.vouchers.length, refused.reports.length]).toEqual([0, 1, 1]);
      for (const l of lines.filter((l) => l.status === 'reject')) expect(l.reports).toHaveLength(1);
    });

    it('the same bundle, file-driven on this host, writes exactly what the devnet recorded', async () => {
      const dir = workDir('host-batch');
      const inputs = join(dir, 'inputs.json');
      const outputs = join(dir, 'outputs.jsonl');
      writeFileSync(inputs, JSON.stringify(devnetRun.requests));
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [join(dappDist(), 'backend.mjs'), '--inputs', inputs, '--outputs', outputs],
          {
            env: { ...process.env, ...batchEnv(devnetRun.contract, models.dir) },
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        child.on('exit', resolve);
      });
      expect(code).toBe(0);
      expect(readDrive(outputs)).toBe(devnetRun.expected);
    });

    it("inside the real Cartesi machine (riscv64, Node 20, our kernel) the outputs are byte-identical to the devnet's", async () => {
      const got = await batchInMachine(devnetRun);
      expect(got).toBe(devnetRun.expected);
    });

    it("one flipped bit in the machine's copy of the weights makes the outputs differ", async () => {
      const got = await batchInMachine(devnetRun, 28 + 4 * 512 * 64 + 123);
      expect(got).not.toBe(devnetRun.expected);
      const differing = got.split('\n').filter((l, i) => l !== devnetRun.expected.split('\n')[i]).length;
      console.log(`with the flipped bit, ${differing} of ${devnetRun.requests.length} result lines differ`);
    });
  },
);

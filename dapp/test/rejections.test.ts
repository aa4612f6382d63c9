// Every way an input can be wrong, sent through the real InputBox of a devnet and handled by the backend over the
// devnet's real rollup HTTP API: each must end with exactly one report naming the right code, and the backend must
// still answer a good prompt afterwards. A prompt refused for a reason of its own (its fields or its length in
// tokens) is accepted with that report and one voucher, TrustAndTeach.rejectPrompt(id, reason), so the chain can
// show it Rejected; anything else (a stranger, a bad payload, an engine failure) is a plain reject. The backend here
// trusts account 3 as "TrustAndTeach", so the tests can send payloads the real contract would never produce.
import { TrustAndTeach__factory } from '@tt/contracts';
import { rejectionReasonCode } from '@tt/protocol';
import { ENGINE_VERSION } from '@tt/llm';
import { concat, getBytes, hexlify, toBeHex, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendEngine } from '../src/engine.ts';
import {
  account,
  haveModel,
  inspect,
  modelNote,
  outcome,
  promptPayload,
  startInProcessBackend,
  startTestDevnet,
  type InProcessBackend,
  type InputOutcome,
  type TestDevnet,
} from './harness.ts';

const ENGINE_BOMB = '\u{1F4A5} make the engine fail';

const good = promptPayload({ prompt: 'Once upon a time', steps: 40 });
const words = (hex: string) => getBytes(hex).subarray(4); // the arguments after the selector
const selector = good.slice(0, 10);

/** The good payload with one 32-byte argument word replaced. */
function withWord(index: number, value: string): string {
  const args = new Uint8Array(words(good));
  args.set(getBytes(zeroPadValue(value, 32)), index * 32);
  return concat([selector, args]);
}

// Hand-built encodings that ethers would decode leniently, and the canonical re-encoding check must refuse.
const badPayloads: Array<[string, string]> = [
  ['an empty payload', '0x'],
  ['three bytes', '0x010203'],
  ['another function (postResponse-like selector)', concat(['0xdeadbeef', hexlify(words(good))])],
  ['a truncated payload', good.slice(0, good.length - 20)],
  ['one trailing byte', concat([good, '0x00'])],
  ['a trailing word of garbage', concat([good, toBeHex(0xabcdn, 32)])],
  ['steps with bits above uint32', withWord(2, '0x0100000028')],
  ['a prompt offset past the end', withWord(1, '0x0fff')],
  ['a prompt length of 2^255', withWord(5, toBeHex(1n << 255n, 32))],
  [
    'a non-standard prompt offset (an extra word before the bytes)',
    concat([
      selector,
      hexlify(words(withWord(1, '0xc0')).subarray(0, 160)),
      toBeHex(0n, 32),
      hexlify(words(good).subarray(160)),
    ]),
  ],
  [
    'non-zero padding after the prompt bytes',
    (() => {
      const b = getBytes(good);
      b[b.length - 1] = 0x01;
      return hexlify(b);
    })(),
  ],
  ['random bytes', hexlify(Uint8Array.from({ length: 211 }, (_, i) => (i * 89 + 7) & 0xff))],
];

const badFields: Array<[string, Parameters<typeof promptPayload>[0], string]> = [
  ['an empty prompt', { prompt: '' }, 'empty-prompt'],
  ['a prompt of 4097 bytes', { prompt: 'a'.repeat(4097) }, 'prompt-too-long'],
  ['a prompt of 64 KiB', { prompt: new Uint8Array(64 * 1024).fill(0x41) }, 'prompt-too-long'],
  ['steps 0', { prompt: 'Hi', steps: 0 }, 'bad-steps'],
  ['steps 1 (no room past BOS)', { prompt: 'Hi', steps: 1 }, 'bad-steps'],
  ['steps beyond seq_len (512)', { prompt: 'Hi', steps: 513 }, 'bad-steps'],
  ['steps 2^32-1', { prompt: 'Hi', steps: 2 ** 32 - 1 }, 'bad-steps'],
  ['temperature 2001', { prompt: 'Hi', temperatureMilli: 2001 }, 'bad-temperature'],
  ['top-p 0', { prompt: 'Hi', topPMilli: 0 }, 'bad-top-p'],
  ['top-p 1001', { prompt: 'Hi', topPMilli: 1001 }, 'bad-top-p'],
  [
    'a prompt longer in tokens than steps',
    { prompt: 'Once upon a time', steps: 10 },
    'prompt-exceeds-context',
  ],
  [
    'a prompt longer in tokens than the whole context',
    { prompt: Uint8Array.from({ length: 4096 }, (_, i) => 0x80 + (i % 64)), steps: 512 },
    'prompt-exceeds-context',
  ],
  ['a prompt the engine fails on', { prompt: ENGINE_BOMB }, 'engine-error'],
];

describe.skipIf(!haveModel)(`rejections through the devnet's rollup API${modelNote}`, () => {
  let devnet: TestDevnet;
  let backend: InProcessBackend;
  let trusted: ReturnType<typeof account>;
  let stranger: ReturnType<typeof account>;
  const results = new Map<string, InputOutcome>();
  let finalGood: InputOutcome;

  beforeAll(async () => {
    devnet = await startTestDevnet();
    trusted = account(devnet, 3);
    stranger = account(devnet, 2);
    backend = startInProcessBackend(devnet, {
      contract: trusted.address,
      // a real engine that throws on one prompt, as a trapped wasm instance would
      wrapEngine: (engine: BackendEngine): BackendEngine => ({
        get config() {
          return engine.config;
        },
        backend: engine.backend,
        encode: (t, o) => engine.encode(t, o),
        generate: (o) => {
          if (Buffer.from(o.prompt as Uint8Array).toString() === ENGINE_BOMB)
            throw new RangeError('simulated wasm trap');
          return engine.generate(o);
        },
        dispose: () => engine.dispose(),
      }),
    });
    const sent: Array<[string, number]> = [];
    sent.push(['unknown-sender', await stranger.addInput(good)]);
    for (const [name, payload] of badPayloads)
      sent.push([`bad-payload: ${name}`, await trusted.addInput(payload)]);
    for (const [name, p] of badFields) sent.push([name, await trusted.addInput(promptPayload(p))]);
    const last = await trusted.addInput(good);
    await devnet.settled(120_000);
    for (const [name, index] of sent) results.set(name, await outcome(devnet, index));
    finalGood = await outcome(devnet, last);
  }, 180_000);

  afterAll(async () => {
    await backend?.stop();
    trusted?.destroy();
    stranger?.destroy();
    await devnet?.stop();
  });

  function expectRejected(name: string, code: string, message?: RegExp) {
    const r = results.get(name)!;
    expect(r.status, name).toBe('REJECTED');
    expect(r.notices).toHaveLength(0);
    expect(r.vouchers).toHaveLength(0);
    expect(r.reports, name).toHaveLength(1);
    expect(r.reports[0]).toMatchObject({ type: 'error', code });
    if (message) expect((r.reports[0] as { message: string }).message).toMatch(message);
  }

  it('rejects an input from any sender but TrustAndTeach, naming both', () => {
    expectRejected(
      'unknown-sender',
      'unknown-sender',
      new RegExp(`${stranger.address.toLowerCase()}.*${trusted.address}.*TrustAndTeach\\.sendPrompt`, 'i'),
    );
  });

  it.each(badPayloads.map(([name]) => name))('rejects %s as bad-payload', (name) => {
    expectRejected(`bad-payload: ${name}`, 'bad-payload', /prompt\(uint256,bytes,uint32,uint32,uint32\)/);
  });

  it('says why a payload is bad', () => {
    expect(
      (results.get('bad-payload: one trailing byte')!.reports[0] as { message: string }).message,
    ).toMatch(/1 trailing byte/);
    expect((results.get('bad-payload: three bytes')!.reports[0] as { message: string }).message).toMatch(
      /shorter than a 4-byte selector/,
    );
  });

  /** Accepted with one report and one voucher, rejectPrompt(the prompt's id, the code's reason): the chain can record it. */
  function expectRecordedRejection(name: string, code: string, conversationId: bigint) {
    const r = results.get(name)!;
    expect(r.status, name).toBe('ACCEPTED');
    expect(r.notices).toHaveLength(0);
    expect(r.reports, name).toHaveLength(1);
    expect(r.reports[0]).toMatchObject({ type: 'error', code });
    expect(r.vouchers, name).toHaveLength(1);
    expect(r.vouchers[0]!.destination).toBe(trusted.address.toLowerCase());
    const call = TrustAndTeach__factory.createInterface().parseTransaction({ data: r.vouchers[0]!.payload })!;
    expect(call.name).toBe('rejectPrompt');
    expect([call.args[0], Number(call.args[1])]).toEqual([conversationId, rejectionReasonCode(code)]);
  }

  it.each(badFields.map(([name, p, code]) => [name, code, p.id ?? 1n] as const))(
    'rejects %s as %s',
    (name, code, id) => {
      if (code === 'engine-error') expectRejected(name, code);
      else expectRecordedRejection(name, code, id);
    },
  );

  it('reloads the engine after it failed and answers the next good prompt with two notices and two vouchers', () => {
    expect(backend.engineLoads()).toBe(2);
    expect(finalGood.status).toBe('ACCEPTED');
    expect(finalGood.reports).toHaveLength(0);
    expect(finalGood.notices.map((n) => n.responseIndex)).toEqual([0, 1]);
    expect(finalGood.vouchers.map((v) => v.destination)).toEqual([
      trusted.address.toLowerCase(),
      trusted.address.toLowerCase(),
    ]);
  });

  it('counts every input in the info report, and answers an unknown inspect path with what is available', async () => {
    const info = await inspect(devnet, 'info');
    expect(info.status).toBe('Accepted');
    expect(info.reports[0]).toMatchObject({
      type: 'info',
      model: {
        name: 'stories260K',
        license: 'MIT',
        hash: devnet.deployments.model.hash,
        config: { vocabSize: 512, seqLen: 512 },
      },
      engineVersion: ENGINE_VERSION,
      contract: trusted.address,
      // a rejection recorded on chain is an accepted input for the node, but a rejected prompt for the counters
      counters: { processed: results.size + 1, accepted: 1, rejected: results.size },
    });
    const unknown = await inspect(devnet, 'nope?x=1');
    expect(unknown.reports).toHaveLength(1);
    expect(unknown.reports[0]).toMatchObject({ type: 'error', code: 'unknown-inspect-path' });
    expect((unknown.reports[0] as { message: string }).message).toMatch(
      /available: 'info' \(GET \/inspect\/info\)/,
    );
  });
});

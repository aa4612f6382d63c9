import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import {
  AbiCoder,
  ContractFactory,
  ZeroAddress,
  ZeroHash,
  concat,
  getBytes,
  hexlify,
  keccak256,
  toUtf8Bytes,
} from 'ethers';
import {
  CannotSetCodeError,
  SINGLETON_FACTORY_ADDRESS,
  ensureSingletonFactory,
  type RpcSender,
} from '@tt/cartesi-v1';
import {
  DEFAULT_TEMPERATURE_MILLI,
  DEFAULT_TOP_P_MILLI,
  MAX_PROMPT_BYTES,
  MIN_STEPS,
  PROMPT_SELECTOR,
  decodePromptPayload,
  deriveSeed,
  encodePromptPayload,
} from '@tt/protocol';
import {
  DAPP_ADDRESS,
  MODEL_HASH,
  SEQ_LEN,
  deployBound,
  deployUnbound,
  impersonate,
  postResponse,
  provider,
  type Fixture,
} from './fixture.ts';
import { ITrustAndTeachInput__factory, TrustAndTeach__factory } from '../src/index.ts';
import {
  SingletonFactoryMissingError,
  bindDApp,
  DAppAlreadyBoundError,
  deployTrustAndTeach,
  predictTrustAndTeachAddress,
} from '../src/deploy.ts';

const PROMPT = 'Once upon a time';
const payloadInterface = ITrustAndTeachInput__factory.createInterface();
const ttInterface = TrustAndTeach__factory.createInterface();

/** Bytes that are not UTF-8: a lone continuation byte, an overlong encoding, a truncated sequence, a stray 0xFF. */
const INVALID_UTF8 = new Uint8Array([0x41, 0x80, 0xc0, 0xaf, 0xe2, 0x82, 0xff, 0x00, 0x42]);

/** A bound contract with one prompt (id 0) and both of its responses posted. */
async function answered(): Promise<Fixture> {
  const f = await loadFixture(deployBound);
  await f.tt['sendPrompt(string,uint32)'](PROMPT, 64);
  await postResponse(f, 0n, 0, toUtf8Bytes(' there was a cat.'));
  await postResponse(f, 0n, 1, toUtf8Bytes(' there was a dog.'));
  return f;
}

describe('TrustAndTeach', () => {
  describe('deployment and model record', () => {
    it('keeps the model record, the owner and the InputBox it was deployed with', async () => {
      const { tt, owner, inputBox, args } = await loadFixture(deployUnbound);
      expect(await tt.owner()).to.equal(owner.address);
      expect(await tt.inputBox()).to.equal(await inputBox.getAddress());
      expect(await tt.modelName()).to.equal('stories15M');
      expect(await tt.modelLicense()).to.equal('MIT');
      expect(await tt.modelHash()).to.equal(MODEL_HASH);
      expect(await tt.seqLen()).to.equal(SEQ_LEN);
      expect(await tt.dapp()).to.equal(ZeroAddress);
      expect(await tt.conversationCount()).to.equal(0n);
      // The contract's limits and defaults are @tt/protocol's, which the backend, the CLI and the UI use.
      expect(await tt.MAX_PROMPT_BYTES()).to.equal(BigInt(MAX_PROMPT_BYTES));
      expect(await tt.MIN_STEPS()).to.equal(BigInt(MIN_STEPS));
      expect(await tt.DEFAULT_TEMPERATURE_MILLI()).to.equal(BigInt(DEFAULT_TEMPERATURE_MILLI));
      expect(await tt.DEFAULT_TOP_P_MILLI()).to.equal(BigInt(DEFAULT_TOP_P_MILLI));
      expect(args.inputBox).to.equal('0x59b22D57D4f067708AB0c00552767405926dc768');
    });

    it('lands at the predicted CREATE2 address, which every constructor argument changes', async () => {
      const { tt, args } = await loadFixture(deployUnbound);
      const predicted = predictTrustAndTeachAddress(args);
      expect(await tt.getAddress()).to.equal(predicted);
      const variants = [
        { ...args, owner: '0x0000000000000000000000000000000000000001' },
        { ...args, modelName: 'stories260K' },
        { ...args, modelLicense: 'Apache-2.0' },
        { ...args, modelHash: keccak256(MODEL_HASH) },
        { ...args, seqLen: 512 },
      ];
      const addresses = new Set(variants.map(predictTrustAndTeachAddress));
      expect(addresses.size).to.equal(variants.length);
      expect(addresses.has(predicted)).to.equal(false);
    });

    it('deploys idempotently: a second deploy sends nothing and returns the same address', async () => {
      const { tt, owner, args } = await loadFixture(deployUnbound);
      const before = await provider.getTransactionCount(owner.address);
      const again = await deployTrustAndTeach(owner, args);
      expect(again).to.deep.equal({ address: await tt.getAddress(), deployed: false });
      expect(await provider.getTransactionCount(owner.address)).to.equal(before);
    });

    it('installs the singleton factory only where it is missing, and says so where it cannot', async () => {
      const { owner, args } = await loadFixture(deployUnbound);
      expect(await ensureSingletonFactory(provider)).to.equal(false);
      await provider.send('hardhat_setCode', [SINGLETON_FACTORY_ADDRESS, '0x']);
      const other = { ...args, seqLen: 128 };
      const missing = await deployTrustAndTeach(owner, other).catch((e: unknown) => e);
      expect(missing).to.be.instanceOf(SingletonFactoryMissingError);
      expect(await ensureSingletonFactory(provider)).to.equal(true);
      expect((await deployTrustAndTeach(owner, other)).deployed).to.equal(true);
      const refusing: RpcSender = {
        send: async (method) => {
          if (method === 'eth_getCode') return '0x';
          throw new Error(`method ${method} not found`);
        },
      };
      const cannot = await ensureSingletonFactory(refusing).catch((e: unknown) => e);
      expect(cannot).to.be.instanceOf(CannotSetCodeError);
    });

    it('rejects a zero owner, a zero InputBox and a zero seqLen', async () => {
      const { owner, args } = await loadFixture(deployUnbound);
      const factory = new TrustAndTeach__factory(owner);
      const deploy = (o: string, ib: string, seqLen: number) =>
        factory.deploy(o, ib, args.modelName, args.modelLicense, args.modelHash, seqLen);
      await expect(deploy(ZeroAddress, args.inputBox, 256))
        .to.be.revertedWithCustomError(factory, 'ZeroAddress')
        .withArgs('owner');
      await expect(deploy(owner.address, ZeroAddress, 256))
        .to.be.revertedWithCustomError(factory, 'ZeroAddress')
        .withArgs('inputBox');
      await expect(deploy(owner.address, args.inputBox, 0)).to.be.revertedWithCustomError(
        factory,
        'ZeroSeqLen',
      );
    });
  });

  describe('bindDApp', () => {
    it('binds once, by the owner, and emits DAppBound', async () => {
      const { tt, owner } = await loadFixture(deployUnbound);
      await expect(tt.connect(owner).bindDApp(DAPP_ADDRESS)).to.emit(tt, 'DAppBound').withArgs(DAPP_ADDRESS);
      expect(await tt.dapp()).to.equal(DAPP_ADDRESS);
      await expect(tt.connect(owner).bindDApp(owner.address))
        .to.be.revertedWithCustomError(tt, 'DAppAlreadyBound')
        .withArgs(DAPP_ADDRESS);
      await expect(tt.connect(owner).bindDApp(DAPP_ADDRESS)).to.be.revertedWithCustomError(
        tt,
        'DAppAlreadyBound',
      );
    });

    it('refuses the zero address and anyone but the owner', async () => {
      const { tt, owner, stranger } = await loadFixture(deployUnbound);
      await expect(tt.connect(owner).bindDApp(ZeroAddress))
        .to.be.revertedWithCustomError(tt, 'ZeroAddress')
        .withArgs('dapp');
      await expect(tt.connect(stranger).bindDApp(DAPP_ADDRESS))
        .to.be.revertedWithCustomError(tt, 'NotOwner')
        .withArgs(stranger.address);
      const dapp = await impersonate(DAPP_ADDRESS);
      await expect(tt.connect(dapp).bindDApp(DAPP_ADDRESS))
        .to.be.revertedWithCustomError(tt, 'NotOwner')
        .withArgs(DAPP_ADDRESS);
    });

    it('the bindDApp helper is a no-op for the same DApp and names the conflict for another', async () => {
      const { tt, owner } = await loadFixture(deployUnbound);
      const address = await tt.getAddress();
      expect((await bindDApp(owner, address, DAPP_ADDRESS)).bound).to.equal(true);
      expect(await bindDApp(owner, address, DAPP_ADDRESS.toLowerCase())).to.deep.equal({ bound: false });
      try {
        await bindDApp(owner, address, owner.address);
        expect.fail('binding another DApp should throw');
      } catch (error) {
        expect(error).to.be.instanceOf(DAppAlreadyBoundError);
      }
    });
  });

  describe('sendPrompt', () => {
    it('refuses prompts until a DApp is bound', async () => {
      const { tt } = await loadFixture(deployUnbound);
      await expect(tt['sendPrompt(string,uint32)'](PROMPT, 64)).to.be.revertedWithCustomError(
        tt,
        'DAppNotBound',
      );
    });

    it('records the conversation, returns sequential ids and uses the default sampling parameters', async () => {
      const { tt, stranger } = await loadFixture(deployBound);
      const send = tt.connect(stranger)['sendPrompt(string,uint32)'];
      expect(await send.staticCall(PROMPT, 64)).to.equal(0n);
      const tx = await send(PROMPT, 64);
      const receipt = (await tx.wait())!;
      const block = (await receipt.getBlock())!;
      expect(await send.staticCall(PROMPT, 64)).to.equal(1n);
      expect(await tt.conversationCount()).to.equal(1n);
      const c = await tt.getConversation(0);
      expect(c.id).to.equal(0n);
      expect(c.author).to.equal(stranger.address);
      expect([c.steps, c.temperatureMilli, c.topPMilli]).to.deep.equal([64n, 800n, 900n]);
      expect(c.createdAt).to.equal(BigInt(block.timestamp));
      expect(c.blockNumber).to.equal(BigInt(block.number));
      expect(c.inputIndex).to.equal(0n);
      expect(c.status).to.equal(0n); // Prompted
      expect(c.responsesPosted).to.equal(0n);
      expect(c.rankingCount).to.equal(0n);
      expect(c.responseHashes).to.deep.equal([ZeroHash, ZeroHash]);
    });

    it('sends the exact payload to the real InputBox and emits PromptSubmitted', async () => {
      const { tt, inputBox, stranger } = await loadFixture(deployBound);
      const ttAddress = await tt.getAddress();
      // Another sender's input to the same DApp shifts the index TrustAndTeach must record.
      await inputBox.connect(stranger).addInput(DAPP_ADDRESS, '0x1234');
      const tx = tt.connect(stranger)['sendPrompt(string,uint32,uint32,uint32)'](PROMPT, 100, 0, 1000);
      const payload = payloadInterface.encodeFunctionData('prompt', [0n, toUtf8Bytes(PROMPT), 100, 0, 1000]);
      await expect(tx).to.emit(inputBox, 'InputAdded').withArgs(DAPP_ADDRESS, 1n, ttAddress, payload);
      await expect(tx)
        .to.emit(tt, 'PromptSubmitted')
        .withArgs(0n, stranger.address, 1n, hexlify(toUtf8Bytes(PROMPT)), 100, 0, 1000);
      expect((await tt.getConversation(0)).inputIndex).to.equal(1n);
      expect(await inputBox.getNumberOfInputs(DAPP_ADDRESS)).to.equal(2n);
      // The Solidity interface and @tt/protocol's codec, which the backend decodes with, describe the same bytes.
      expect(payloadInterface.getFunction('prompt').selector).to.equal(PROMPT_SELECTOR);
      expect(hexlify(encodePromptPayload(decodePromptPayload(getBytes(payload))))).to.equal(payload);
      const sent = {
        conversationId: 0n,
        prompt: toUtf8Bytes(PROMPT),
        steps: 100,
        temperatureMilli: 0,
        topPMilli: 1000,
      };
      expect(hexlify(encodePromptPayload(sent))).to.equal(payload);
    });

    it('passes a prompt that is not UTF-8 through byte for byte, and isPromptOf recognises only it', async () => {
      const { tt, inputBox, stranger } = await loadFixture(deployBound);
      // A string and bytes have the same ABI encoding, so a raw transaction can carry any bytes as the prompt.
      const data = concat([
        ttInterface.getFunction('sendPrompt(string,uint32)').selector,
        AbiCoder.defaultAbiCoder().encode(['bytes', 'uint32'], [INVALID_UTF8, 32]),
      ]);
      const tx = stranger.sendTransaction({ to: await tt.getAddress(), data });
      const payload = payloadInterface.encodeFunctionData('prompt', [0n, INVALID_UTF8, 32, 800, 900]);
      await expect(tx)
        .to.emit(inputBox, 'InputAdded')
        .withArgs(DAPP_ADDRESS, 0n, await tt.getAddress(), payload);
      expect(await tt.isPromptOf(0, INVALID_UTF8)).to.equal(true);
      expect(await tt.isPromptOf(0, INVALID_UTF8.slice(1))).to.equal(false);
      expect(await tt.isPromptOf(0, toUtf8Bytes(PROMPT))).to.equal(false);
    });

    it("isPromptOf matches the InputBox's stored input hash for a later prompt among other inputs", async () => {
      const { tt, inputBox, stranger } = await loadFixture(deployBound);
      await tt['sendPrompt(string,uint32)']('first', 10);
      await inputBox.connect(stranger).addInput(DAPP_ADDRESS, '0x');
      await time.increase(3600);
      await tt['sendPrompt(string,uint32,uint32,uint32)']('second prompt', 20, 1234, 567);
      expect(await tt.isPromptOf(1, toUtf8Bytes('second prompt'))).to.equal(true);
      expect(await tt.isPromptOf(1, toUtf8Bytes('first'))).to.equal(false);
      expect(await tt.isPromptOf(0, toUtf8Bytes('first'))).to.equal(true);
      await expect(tt.isPromptOf(2, '0x00'))
        .to.be.revertedWithCustomError(tt, 'UnknownConversation')
        .withArgs(2n);
    });

    it('enforces the prompt length in bytes: 1..4096', async () => {
      const { tt } = await loadFixture(deployBound);
      const send = tt['sendPrompt(string,uint32)'];
      await expect(send('', 10)).to.be.revertedWithCustomError(tt, 'EmptyPrompt');
      await expect(send('x'.repeat(4096), 10)).to.emit(tt, 'PromptSubmitted');
      await expect(send('x'.repeat(4097), 10))
        .to.be.revertedWithCustomError(tt, 'PromptTooLong')
        .withArgs(4097n, 4096n);
      // 1366 three-byte characters are 4098 bytes though only 1366 characters.
      await expect(send('€'.repeat(1366), 10))
        .to.be.revertedWithCustomError(tt, 'PromptTooLong')
        .withArgs(4098n, 4096n);
    });

    it('enforces steps 2..seqLen, temperature 0..2000 and top-p 1..1000', async () => {
      const { tt } = await loadFixture(deployBound);
      const send = tt['sendPrompt(string,uint32,uint32,uint32)'];
      // one step holds BOS only: every prompt would be rejected by the backend, so it is refused here
      for (const steps of [0, 1])
        await expect(send(PROMPT, steps, 800, 900))
          .to.be.revertedWithCustomError(tt, 'StepsOutOfRange')
          .withArgs(steps, SEQ_LEN);
      await expect(send(PROMPT, SEQ_LEN + 1, 800, 900))
        .to.be.revertedWithCustomError(tt, 'StepsOutOfRange')
        .withArgs(SEQ_LEN + 1, SEQ_LEN);
      await expect(send(PROMPT, 10, 2001, 900))
        .to.be.revertedWithCustomError(tt, 'TemperatureOutOfRange')
        .withArgs(2001);
      await expect(send(PROMPT, 10, 800, 0))
        .to.be.revertedWithCustomError(tt, 'TopPOutOfRange')
        .withArgs(0);
      await expect(send(PROMPT, 10, 800, 1001))
        .to.be.revertedWithCustomError(tt, 'TopPOutOfRange')
        .withArgs(1001);
      // The edges are accepted.
      for (const [steps, temperature, topP] of [
        [2, 0, 1],
        [SEQ_LEN, 2000, 1000],
      ] as const) {
        await expect(send(PROMPT, steps, temperature, topP)).to.emit(tt, 'PromptSubmitted');
      }
      expect(await tt.conversationCount()).to.equal(2n);
    });
  });

  describe('postResponse', () => {
    it('stores keccak256(text), emits the whole text with its parameters, and updates the status', async () => {
      const f = await loadFixture(deployBound);
      await f.tt['sendPrompt(string,uint32,uint32,uint32)'](PROMPT, 64, 700, 950);
      const text = toUtf8Bytes(' there was a cat named Tom.');
      const seed = deriveSeed(0n, 1);
      await expect(f.tt.connect(f.dapp).postResponse(0, 1, text, MODEL_HASH, seed, 64, 700, 950))
        .to.emit(f.tt, 'ResponsePosted')
        .withArgs(0n, 1, keccak256(text), hexlify(text), MODEL_HASH, seed, 64, 700, 950);
      expect(await f.tt.responseHash(0, 1)).to.equal(keccak256(text));
      expect(await f.tt.responseHash(0, 0)).to.equal(ZeroHash);
      let c = await f.tt.getConversation(0);
      expect([c.status, c.responsesPosted]).to.deep.equal([1n, 1n]); // PartiallyAnswered
      await postResponse(f, 0n, 0, '0x');
      c = await f.tt.getConversation(0);
      expect([c.status, c.responsesPosted]).to.deep.equal([2n, 2n]); // Answered
      expect(c.responseHashes).to.deep.equal([keccak256('0x'), keccak256(text)]);
    });

    it('round-trips response bytes that are not UTF-8 exactly', async () => {
      const f = await loadFixture(deployBound);
      await f.tt['sendPrompt(string,uint32)'](PROMPT, 64);
      const receipt = (await (await postResponse(f, 0n, 0, INVALID_UTF8)).wait())!;
      const [log] = receipt.logs
        .map((l) => f.tt.interface.parseLog(l))
        .filter((l) => l?.name === 'ResponsePosted');
      expect(getBytes(log!.args.text)).to.deep.equal(INVALID_UTF8);
      expect(await f.tt.responseHash(0, 0)).to.equal(keccak256(INVALID_UTF8));
    });

    it('accepts each response once, never overwriting it', async () => {
      const f = await loadFixture(deployBound);
      await f.tt['sendPrompt(string,uint32)'](PROMPT, 64);
      await postResponse(f, 0n, 0, toUtf8Bytes('first'));
      for (const text of ['first', 'second']) {
        await expect(postResponse(f, 0n, 0, toUtf8Bytes(text)))
          .to.be.revertedWithCustomError(f.tt, 'ResponseAlreadyPosted')
          .withArgs(0n, 0);
      }
      expect(await f.tt.responseHash(0, 0)).to.equal(keccak256(toUtf8Bytes('first')));
    });

    it('checks the index, the conversation, the model hash, the seed and the sampling parameters', async () => {
      const f = await loadFixture(deployBound);
      await f.tt['sendPrompt(string,uint32,uint32,uint32)'](PROMPT, 64, 700, 950);
      const post = f.tt.connect(f.dapp).postResponse;
      const seed0 = deriveSeed(0n, 0);
      await expect(post(0, 2, '0x01', MODEL_HASH, 0n, 64, 700, 950))
        .to.be.revertedWithCustomError(f.tt, 'ResponseIndexOutOfRange')
        .withArgs(2);
      await expect(post(1, 0, '0x01', MODEL_HASH, deriveSeed(1n, 0), 64, 700, 950))
        .to.be.revertedWithCustomError(f.tt, 'UnknownConversation')
        .withArgs(1n);
      const otherModel = keccak256(MODEL_HASH);
      await expect(post(0, 0, '0x01', otherModel, seed0, 64, 700, 950))
        .to.be.revertedWithCustomError(f.tt, 'ModelHashMismatch')
        .withArgs(otherModel, MODEL_HASH);
      await expect(post(0, 0, '0x01', MODEL_HASH, seed0 + 1n, 64, 700, 950))
        .to.be.revertedWithCustomError(f.tt, 'SeedMismatch')
        .withArgs(seed0 + 1n, seed0);
      await expect(post(0, 0, '0x01', MODEL_HASH, deriveSeed(0n, 1), 64, 700, 950))
        .to.be.revertedWithCustomError(f.tt, 'SeedMismatch')
        .withArgs(deriveSeed(0n, 1), seed0);
      for (const [steps, temperature, topP] of [
        [63, 700, 950],
        [64, 800, 950],
        [64, 700, 900],
      ] as const) {
        await expect(post(0, 0, '0x01', MODEL_HASH, seed0, steps, temperature, topP))
          .to.be.revertedWithCustomError(f.tt, 'SamplingParametersMismatch')
          .withArgs(steps, temperature, topP);
      }
      await expect(post(0, 0, '0x01', MODEL_HASH, seed0, 64, 700, 950)).to.emit(f.tt, 'ResponsePosted');
    });

    it("derives seeds exactly as @tt/protocol's deriveSeed (docs/interfaces.md)", async () => {
      const { tt } = await loadFixture(deployUnbound);
      for (const id of [0n, 1n, 41n, 2n ** 64n - 1n]) {
        for (const index of [0, 1]) expect(await tt.seedFor(id, index)).to.equal(deriveSeed(id, index));
      }
      expect(deriveSeed(0n, 0)).to.not.equal(deriveSeed(0n, 1));
    });
  });

  describe('submitRanking', () => {
    it('is refused until both responses are posted', async () => {
      const f = await loadFixture(deployBound);
      await expect(f.tt.submitRanking(0, [0, 1])).to.be.revertedWithCustomError(f.tt, 'UnknownConversation');
      await f.tt['sendPrompt(string,uint32)'](PROMPT, 64);
      await expect(f.tt.submitRanking(0, [0, 1]))
        .to.be.revertedWithCustomError(f.tt, 'ResponsesNotPosted')
        .withArgs(0n, 0);
      await postResponse(f, 0n, 1, '0xaa');
      await expect(f.tt.submitRanking(0, [0, 1]))
        .to.be.revertedWithCustomError(f.tt, 'ResponsesNotPosted')
        .withArgs(0n, 1);
      await postResponse(f, 0n, 0, '0xbb');
      await expect(f.tt.submitRanking(0, [0, 1])).to.emit(f.tt, 'RankingSubmitted');
    });

    it('accepts only permutations of [0, 1]', async () => {
      const { tt, rankers } = await loadFixture(answered);
      const cases: [number[], string, unknown[]][] = [
        [[0, 0], 'RankingIndexRepeated', [0]],
        [[1, 1], 'RankingIndexRepeated', [1]],
        [[1], 'RankingLengthInvalid', [1]],
        [[], 'RankingLengthInvalid', [0]],
        [[0, 1, 2], 'RankingLengthInvalid', [3]],
        [[0, 2], 'RankingIndexOutOfRange', [2]],
        [[2, 0], 'RankingIndexOutOfRange', [2]],
        [[255, 0], 'RankingIndexOutOfRange', [255]],
      ];
      for (const [order, error, args] of cases) {
        await expect(tt.submitRanking(0, order), `order ${JSON.stringify(order)}`)
          .to.be.revertedWithCustomError(tt, error)
          .withArgs(...args);
      }
      await expect(tt.connect(rankers[0]!).submitRanking(0, [0, 1]))
        .to.emit(tt, 'RankingSubmitted')
        .withArgs(0n, rankers[0]!.address, [0, 1], []);
      await expect(tt.connect(rankers[1]!).submitRanking(0, [1, 0]))
        .to.emit(tt, 'RankingSubmitted')
        .withArgs(0n, rankers[1]!.address, [1, 0], []);
    });

    it('keeps one ranking per address, updatable, each change emitted with the previous order', async () => {
      const { tt, rankers } = await loadFixture(answered);
      const ranker = tt.connect(rankers[0]!);
      await ranker.submitRanking(0, [0, 1]);
      await expect(ranker.submitRanking(0, [1, 0]))
        .to.emit(tt, 'RankingSubmitted')
        .withArgs(0n, rankers[0]!.address, [1, 0], [0, 1]);
      await expect(ranker.submitRanking(0, [1, 0]))
        .to.be.revertedWithCustomError(tt, 'RankingUnchanged')
        .withArgs(0n, rankers[0]!.address);
      await expect(ranker.submitRanking(0, [0, 1]))
        .to.emit(tt, 'RankingSubmitted')
        .withArgs(0n, rankers[0]!.address, [0, 1], [1, 0]);
      expect(await tt.rankingCount(0)).to.equal(1n);
      expect(await tt.rankingOf(0, rankers[0]!.address)).to.deep.equal([0n, 1n]);
      expect(await tt.rankedCount(rankers[0]!.address)).to.equal(1n);
      const c = await tt.getConversation(0);
      expect([c.status, c.rankingCount]).to.deep.equal([3n, 1n]); // Ranked
    });

    it('lists rankings by conversation and by ranker, paginated', async () => {
      const f = await loadFixture(deployBound);
      const [a, b, c] = f.rankers as [typeof f.owner, typeof f.owner, typeof f.owner];
      // 9 conversations: ranker a ranks all, crossing the packed words of its list (3 ids, then 4 per word).
      for (let id = 0n; id < 9n; id++) {
        await f.tt['sendPrompt(string,uint32)'](`prompt ${id}`, 16);
        await postResponse(f, id, 0, '0x00');
        await postResponse(f, id, 1, '0x01');
      }
      const order = (id: bigint) => (id % 3n === 0n ? [1, 0] : [0, 1]);
      for (const id of [4n, 0n, 8n, 1n, 2n, 7n, 3n, 6n, 5n])
        await f.tt.connect(a).submitRanking(id, order(id));
      await f.tt.connect(b).submitRanking(4n, [1, 0]);
      await f.tt.connect(c).submitRanking(4n, [0, 1]);

      expect(await f.tt.rankedCount(a.address)).to.equal(9n);
      const byA = await f.tt.getRankingsByRanker(a.address, 0, 100);
      expect(byA.map((r) => r.conversationId)).to.deep.equal([4n, 0n, 8n, 1n, 2n, 7n, 3n, 6n, 5n]);
      for (const r of byA) {
        expect(r.ranker).to.equal(a.address);
        expect(r.order.map(Number)).to.deep.equal(order(r.conversationId));
      }
      const page = await f.tt.getRankingsByRanker(a.address, 2, 4);
      expect(page.map((r) => r.conversationId)).to.deep.equal([8n, 1n, 2n, 7n]);
      expect(await f.tt.getRankingsByRanker(a.address, 9, 5)).to.deep.equal([]);
      expect(await f.tt.getRankingsByRanker(f.stranger.address, 0, 5)).to.deep.equal([]);

      const on4 = await f.tt.getRankings(4n, 0, 10);
      expect(on4.map((r) => [r.ranker, r.order.map(Number)])).to.deep.equal([
        [a.address, [0, 1]],
        [b.address, [1, 0]],
        [c.address, [0, 1]],
      ]);
      expect((await f.tt.getRankings(4n, 1, 1)).map((r) => r.ranker)).to.deep.equal([b.address]);
      expect(await f.tt.getRankings(4n, 3, 1)).to.deep.equal([]);
      expect(await f.tt.rankingOf(4n, f.stranger.address)).to.deep.equal([]);
      await expect(f.tt.getRankings(9n, 0, 1)).to.be.revertedWithCustomError(f.tt, 'UnknownConversation');
      // as documented: unknown ids revert in every view that takes one
      await expect(f.tt.rankingOf(9n, a.address))
        .to.be.revertedWithCustomError(f.tt, 'UnknownConversation')
        .withArgs(9n);
    });
  });

  describe('rejectPrompt', () => {
    it('marks a prompt the DApp refused as Rejected with its reason, once, and no response can follow', async () => {
      const f = await loadFixture(deployBound);
      await f.tt['sendPrompt(string,uint32)'](PROMPT, 2);
      await expect(f.tt.connect(f.dapp).rejectPrompt(0, 3)).to.emit(f.tt, 'PromptRejected').withArgs(0n, 3);
      const c = await f.tt.getConversation(0);
      expect([c.status, c.rejectionReason, c.responsesPosted]).to.deep.equal([4n, 3n, 0n]); // Rejected
      expect((await f.tt.getConversations(0, 1))[0]!.rejectionReason).to.equal(3n);
      await expect(f.tt.connect(f.dapp).rejectPrompt(0, 3))
        .to.be.revertedWithCustomError(f.tt, 'ConversationRejected')
        .withArgs(0n, 3);
      await expect(postResponse(f, 0n, 0, toUtf8Bytes('too late')))
        .to.be.revertedWithCustomError(f.tt, 'ConversationRejected')
        .withArgs(0n, 3);
      await expect(f.tt.submitRanking(0, [0, 1])).to.be.revertedWithCustomError(f.tt, 'ResponsesNotPosted');
    });

    it('is for the DApp only, needs a reason, a known conversation, and no response posted yet', async () => {
      const f = await loadFixture(deployBound);
      await f.tt['sendPrompt(string,uint32)'](PROMPT, 32);
      for (const who of [f.stranger, f.owner])
        await expect(f.tt.connect(who).rejectPrompt(0, 3))
          .to.be.revertedWithCustomError(f.tt, 'NotDApp')
          .withArgs(who.address);
      await expect(f.tt.connect(f.dapp).rejectPrompt(0, 0)).to.be.revertedWithCustomError(
        f.tt,
        'RejectionReasonZero',
      );
      await expect(f.tt.connect(f.dapp).rejectPrompt(7, 3))
        .to.be.revertedWithCustomError(f.tt, 'UnknownConversation')
        .withArgs(7n);
      await postResponse(f, 0n, 1, toUtf8Bytes('an answer'));
      await expect(f.tt.connect(f.dapp).rejectPrompt(0, 3))
        .to.be.revertedWithCustomError(f.tt, 'ResponsesAlreadyPosted')
        .withArgs(0n, 1);
      expect((await f.tt.getConversation(0)).status).to.equal(1n); // PartiallyAnswered, untouched
    });
  });

  describe('views', () => {
    it('pages conversations and reports unknown ids by name', async () => {
      const f = await loadFixture(deployBound);
      for (let i = 0; i < 5; i++) await f.tt['sendPrompt(string,uint32)'](`prompt ${i}`, 16);
      expect((await f.tt.getConversations(0, 100)).map((c) => c.id)).to.deep.equal([0n, 1n, 2n, 3n, 4n]);
      expect((await f.tt.getConversations(3, 1)).map((c) => c.id)).to.deep.equal([3n]);
      expect((await f.tt.getConversations(3, 10)).map((c) => c.id)).to.deep.equal([3n, 4n]);
      expect(await f.tt.getConversations(5, 10)).to.deep.equal([]);
      expect(await f.tt.getConversations(0, 0)).to.deep.equal([]);
      await expect(f.tt.getConversation(5))
        .to.be.revertedWithCustomError(f.tt, 'UnknownConversation')
        .withArgs(5n);
      await expect(f.tt.responseHash(5, 0)).to.be.revertedWithCustomError(f.tt, 'UnknownConversation');
      await expect(f.tt.responseHash(0, 2)).to.be.revertedWithCustomError(f.tt, 'ResponseIndexOutOfRange');
      await expect(f.tt.rankingCount(5)).to.be.revertedWithCustomError(f.tt, 'UnknownConversation');
    });
  });

  describe('access control: a stranger, the deployer and the DApp each try every mutating function', () => {
    type Actor = 'stranger' | 'deployer' | 'dapp';
    const signerOf = (f: Fixture, actor: Actor) =>
      actor === 'stranger' ? f.stranger : actor === 'deployer' ? f.owner : f.dapp;

    for (const actor of ['stranger', 'deployer', 'dapp'] as const) {
      it(`${actor}: bindDApp only for the deployer, postResponse only for the DApp, prompts and rankings for all`, async () => {
        const base = await loadFixture(deployUnbound);
        const dapp = await impersonate(DAPP_ADDRESS);
        const f: Fixture = { ...base, dapp };
        const me = signerOf(f, actor);
        const tt = f.tt.connect(me);

        if (actor === 'deployer') await expect(tt.bindDApp(DAPP_ADDRESS)).to.emit(tt, 'DAppBound');
        else {
          await expect(tt.bindDApp(DAPP_ADDRESS))
            .to.be.revertedWithCustomError(tt, 'NotOwner')
            .withArgs(me.address);
          await f.tt.connect(f.owner).bindDApp(DAPP_ADDRESS);
        }

        await expect(tt['sendPrompt(string,uint32)'](PROMPT, 32)).to.emit(tt, 'PromptSubmitted');
        await expect(tt['sendPrompt(string,uint32,uint32,uint32)'](PROMPT, 32, 0, 1)).to.emit(
          tt,
          'PromptSubmitted',
        );
        expect((await tt.getConversation(0)).author).to.equal(me.address);

        const seed = deriveSeed(0n, 0);
        const post = (index: number) =>
          tt.postResponse(0, index, '0xabcd', MODEL_HASH, deriveSeed(0n, index), 32, 800, 900);
        if (actor === 'dapp') {
          await expect(post(0)).to.emit(tt, 'ResponsePosted');
          await expect(post(1)).to.emit(tt, 'ResponsePosted');
        } else {
          await expect(post(0)).to.be.revertedWithCustomError(tt, 'NotDApp').withArgs(me.address);
          await f.tt.connect(f.dapp).postResponse(0, 0, '0xabcd', MODEL_HASH, seed, 32, 800, 900);
          await f.tt
            .connect(f.dapp)
            .postResponse(0, 1, '0xabcd', MODEL_HASH, deriveSeed(0n, 1), 32, 800, 900);
        }

        await expect(tt.submitRanking(0, [1, 0])).to.emit(tt, 'RankingSubmitted');
        await expect(tt.submitRanking(0, [0, 1])).to.emit(tt, 'RankingSubmitted');
        // The binding is one-shot for everyone, the deployer included.
        await expect(tt.bindDApp(me.address)).to.be.reverted;
      });
    }
  });
});

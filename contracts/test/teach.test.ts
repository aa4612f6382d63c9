// TrustAndTeach's "Teach" half: teach(ids) turns the stored rankings into one InputBox input, the DApp registers the
// model versions it trains (registerModel through its voucher), prompts choose a version, and postResponse checks the
// response comes from it.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash, getBytes, hexlify, keccak256, sha256, toUtf8Bytes } from 'ethers';
import {
  decodePromptPayload,
  decodeTeachPayload,
  encodePromptPayload,
  encodeTeachPayload,
  MAX_TEACH_CONVERSATIONS,
  PROMPT_WITH_MODEL_SELECTOR,
  TEACH_SELECTOR,
} from '@tt/protocol';
import { DAPP_ADDRESS, MODEL_HASH, deployBound, postResponse, type Fixture } from './fixture.ts';
import { ITrustAndTeachInput__factory } from '../src/index.ts';

const payloadInterface = ITrustAndTeachInput__factory.createInterface();
const V1 = sha256(toUtf8Bytes('fine-tuned version 1'));
const V2 = sha256(toUtf8Bytes('fine-tuned version 2'));
const DATASET = keccak256(toUtf8Bytes('dataset'));
const HP = `0x${'11'.repeat(88)}`;

/** Four answered conversations: 0 ranked [1,0] by two rankers, 1 a tie, 2 unranked, 3 ranked [0,1] by one. */
async function ranked(): Promise<Fixture> {
  const f = await loadFixture(deployBound);
  for (let id = 0n; id < 4n; id++) {
    await f.tt['sendPrompt(string,uint32)'](`prompt ${id}`, 32);
    await postResponse(f, id, 0, toUtf8Bytes(`a${id}`));
    await postResponse(f, id, 1, toUtf8Bytes(`b${id}`));
  }
  const [r0, r1] = f.rankers;
  await f.tt.connect(r0!).submitRanking(0, [1, 0]);
  await f.tt.connect(r1!).submitRanking(0, [1, 0]);
  await f.tt.connect(r0!).submitRanking(1, [0, 1]);
  await f.tt.connect(r1!).submitRanking(1, [1, 0]);
  await f.tt.connect(r0!).submitRanking(3, [0, 1]);
  return f;
}

async function inputPayload(f: Fixture, index: bigint) {
  const events = await f.inputBox.queryFilter(f.inputBox.filters.InputAdded(DAPP_ADDRESS, index));
  return getBytes(events[0]!.args.input);
}

describe('TrustAndTeach: teach and model versions', () => {
  it('teach sends ONE input with the majority order, skipping ties and unranked conversations', async () => {
    const f = await ranked();
    const tx = f.tt.connect(f.stranger).teach([0, 1, 2, 3]);
    await expect(tx).to.emit(f.tt, 'TeachRequested').withArgs(4n, f.stranger.address, [0n, 3n], [1, 0], 2n);
    const payload = await inputPayload(f, 4n);
    expect(hexlify(payload.subarray(0, 4))).to.equal(TEACH_SELECTOR);
    expect(payloadInterface.getFunction('teach').selector).to.equal(TEACH_SELECTOR);
    expect(decodeTeachPayload(payload)).to.deep.equal({ conversationIds: [0n, 3n], chosenIndices: [1, 0] });
    expect(hexlify(encodeTeachPayload({ conversationIds: [0n, 3n], chosenIndices: [1, 0] }))).to.equal(
      hexlify(payload),
    );
    // A changed ranking changes the next teach input.
    await f.tt.connect(f.rankers[2]!).submitRanking(1, [1, 0]);
    await expect(f.tt.teach([1]))
      .to.emit(f.tt, 'TeachRequested')
      .withArgs(5n, f.owner.address, [1n], [1], 0n);
  });

  it('teach refuses unknown, repeated, unsorted and unanswered ids, nothing to teach, and too many ids', async () => {
    const f = await ranked();
    await expect(f.tt.teach([])).to.be.revertedWithCustomError(f.tt, 'TeachConversationCount');
    await expect(f.tt.teach([0, 9]))
      .to.be.revertedWithCustomError(f.tt, 'UnknownConversation')
      .withArgs(9n);
    await expect(f.tt.teach([0, 0]))
      .to.be.revertedWithCustomError(f.tt, 'TeachIdsNotIncreasing')
      .withArgs(1n, 0n);
    await expect(f.tt.teach([3, 0])).to.be.revertedWithCustomError(f.tt, 'TeachIdsNotIncreasing');
    await expect(f.tt.teach([1, 2]))
      .to.be.revertedWithCustomError(f.tt, 'NothingToTeach')
      .withArgs(2n);
    await f.tt['sendPrompt(string,uint32)']('unanswered', 32);
    await expect(f.tt.teach([0, 4]))
      .to.be.revertedWithCustomError(f.tt, 'ResponsesNotPosted')
      .withArgs(4n, 0);
    const many = Array.from({ length: MAX_TEACH_CONVERSATIONS + 1 }, (_, i) => i);
    await expect(f.tt.teach(many)).to.be.revertedWithCustomError(f.tt, 'TeachConversationCount');
  });

  it('continueTeaching sends the empty teach input', async () => {
    const f = await ranked();
    await expect(f.tt.connect(f.stranger).continueTeaching())
      .to.emit(f.tt, 'TeachContinued')
      .withArgs(4n, f.stranger.address);
    expect(decodeTeachPayload(await inputPayload(f, 4n))).to.deep.equal({
      conversationIds: [],
      chosenIndices: [],
    });
  });

  it('registerModel: only the DApp, a known parent, a new hash; the lineage is readable', async () => {
    const f = await ranked();
    const register = (signer: typeof f.dapp, hash: string, parent: string) =>
      f.tt.connect(signer).registerModel(hash, parent, DATASET, 4, 2, 1, HP);
    await expect(register(f.stranger, V1, MODEL_HASH))
      .to.be.revertedWithCustomError(f.tt, 'NotDApp')
      .withArgs(f.stranger.address);
    await expect(register(f.dapp, V2, V1))
      .to.be.revertedWithCustomError(f.tt, 'UnknownModel')
      .withArgs(V1);
    await expect(register(f.dapp, ZeroHash, MODEL_HASH)).to.be.revertedWithCustomError(f.tt, 'ZeroModelHash');
    await expect(register(f.dapp, MODEL_HASH, MODEL_HASH)).to.be.revertedWithCustomError(
      f.tt,
      'ModelAlreadyRegistered',
    );
    await expect(register(f.dapp, V1, MODEL_HASH))
      .to.emit(f.tt, 'ModelRegistered')
      .withArgs(1n, V1, MODEL_HASH, DATASET, 4n, 2, 1, HP);
    await expect(register(f.dapp, V1, MODEL_HASH))
      .to.be.revertedWithCustomError(f.tt, 'ModelAlreadyRegistered')
      .withArgs(V1, 1n);
    await expect(register(f.dapp, V2, V1)).to.emit(f.tt, 'ModelRegistered');
    expect(await f.tt.modelVersionCount()).to.equal(3n);
    expect(await f.tt.modelVersionOf(MODEL_HASH)).to.equal(0n);
    expect(await f.tt.modelVersionOf(V2)).to.equal(2n);
    await expect(f.tt.modelVersionOf(DATASET)).to.be.revertedWithCustomError(f.tt, 'UnknownModel');
    const [base, v1, v2] = await f.tt.getModelVersions(0, 10);
    expect(base!.modelHash).to.equal(MODEL_HASH);
    expect(base!.parentHash).to.equal(ZeroHash);
    expect([v1!.version, v1!.parentVersion, v1!.pairs, v1!.steps, v1!.teachInputIndex]).to.deep.equal([
      1n,
      0n,
      2n,
      1n,
      4n,
    ]);
    expect([v2!.parentHash, v2!.parentVersion, v2!.datasetCommitment]).to.deep.equal([V1, 1n, DATASET]);
    await expect(f.tt.getModelVersion(3)).to.be.revertedWithCustomError(f.tt, 'UnknownModelVersion');
  });

  it('prompts go to the latest version by default or to the one asked for; postResponse checks the version', async () => {
    const f = await ranked();
    // Before any registration: the base, with the base payload.
    await expect(
      f.tt['sendPrompt(string,uint32,uint32,uint32,uint16)']('x', 32, 800, 900, 1),
    ).to.be.revertedWithCustomError(f.tt, 'UnknownModelVersion');
    await f.tt.connect(f.dapp).registerModel(V1, MODEL_HASH, DATASET, 4, 2, 1, HP);

    await expect(f.tt['sendPrompt(string,uint32)']('latest', 32)) // id 4 → v1
      .to.emit(f.tt, 'PromptModel')
      .withArgs(4n, 1n, V1);
    await expect(f.tt['sendPrompt(string,uint32,uint32,uint32,uint16)']('base', 32, 800, 900, 0)) // id 5 → base
      .to.not.emit(f.tt, 'PromptModel');
    const latest = await f.tt.getConversation(4);
    expect([latest.modelVersion, latest.modelHash]).to.deep.equal([1n, V1]);
    const base = await f.tt.getConversation(5);
    expect([base.modelVersion, base.modelHash]).to.deep.equal([0n, MODEL_HASH]);

    const p4 = await inputPayload(f, 4n);
    expect(hexlify(p4.subarray(0, 4))).to.equal(PROMPT_WITH_MODEL_SELECTOR);
    expect(payloadInterface.getFunction('promptWithModel').selector).to.equal(PROMPT_WITH_MODEL_SELECTOR);
    const decoded = decodePromptPayload(p4);
    expect(decoded.modelHash).to.equal(V1);
    expect(hexlify(encodePromptPayload(decoded))).to.equal(hexlify(p4));
    expect(decodePromptPayload(await inputPayload(f, 5n)).modelHash).to.equal(undefined);
    expect(await f.tt.isPromptOf(4, toUtf8Bytes('latest'))).to.equal(true);
    expect(await f.tt.isPromptOf(5, toUtf8Bytes('base'))).to.equal(true);

    const seed = await f.tt.seedFor(4, 0);
    await expect(f.tt.connect(f.dapp).postResponse(4, 0, '0x01', MODEL_HASH, seed, 32, 800, 900))
      .to.be.revertedWithCustomError(f.tt, 'ModelHashMismatch')
      .withArgs(MODEL_HASH, V1);
    await expect(f.tt.connect(f.dapp).postResponse(4, 0, '0x01', V1, seed, 32, 800, 900))
      .to.emit(f.tt, 'ResponsePosted')
      .withArgs(4n, 0, keccak256('0x01'), '0x01', V1, seed, 32, 800, 900);
    await expect(postResponse(f, 5n, 0, toUtf8Bytes('base answer'))).to.emit(f.tt, 'ResponsePosted');
  });
});

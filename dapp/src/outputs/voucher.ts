// The vouchers the backend emits, all calls of TrustAndTeach (registerModel for a fine-tuned version is at the end): postResponse for one response, carrying the exact bytes,
// so once the epoch is claimed anyone can execute it and the contract stores what the notice shows; and rejectPrompt
// for a prompt the backend refused for a reason of the prompt's own, so the chain shows it Rejected.
import { TrustAndTeach__factory } from '@tt/contracts';
import { fromHex, type ModelNotice, type ResponseNotice } from '@tt/protocol';

const trustAndTeach = TrustAndTeach__factory.createInterface();

export function postResponseCallData(r: ResponseNotice): Uint8Array {
  return fromHex(
    trustAndTeach.encodeFunctionData('postResponse', [
      r.conversationId,
      r.responseIndex,
      r.bytes,
      r.modelHash,
      r.seed,
      r.steps,
      r.temperatureMilli,
      r.topPMilli,
    ]),
  );
}

/** TrustAndTeach.rejectPrompt(conversationId, reason): `reason` is @tt/protocol's rejectionReasonCode of the report's code. */
export function rejectPromptCallData(conversationId: bigint, reason: number): Uint8Array {
  return fromHex(trustAndTeach.encodeFunctionData('rejectPrompt', [conversationId, reason]));
}

/** TrustAndTeach.registerModel(...) for a version the backend finished training (its `model` notice). */
export function registerModelCallData(m: ModelNotice): Uint8Array {
  return fromHex(
    trustAndTeach.encodeFunctionData('registerModel', [
      m.modelHash,
      m.parentHash,
      m.datasetCommitment,
      m.teachInputIndex,
      m.pairs,
      m.steps,
      m.hyperParametersHex,
    ]),
  );
}

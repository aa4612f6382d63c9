// The voucher for one response: a call of TrustAndTeach.postResponse carrying the exact response bytes, so once the
// epoch is claimed anyone can execute it and the contract stores what the notice shows.
import { TrustAndTeach__factory } from '@tt/contracts';
import { fromHex, type ResponseNotice } from '@tt/protocol';

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

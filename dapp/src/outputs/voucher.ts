// The voucher for one response: a call of TrustAndTeach.postResponse carrying the exact response bytes, so once the
// epoch is claimed anyone can execute it and the contract stores what the notice shows.
import { getBytes, type Interface } from 'ethers';
import type { ResponseRecord } from './notice.ts';

export function postResponseCallData(iface: Interface, r: ResponseRecord): Uint8Array {
  return getBytes(
    iface.encodeFunctionData('postResponse', [
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

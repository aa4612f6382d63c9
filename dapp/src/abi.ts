// The two contract interfaces the backend speaks, taken from @tt/contracts' typechain output so they can never drift
// from the Solidity: ITrustAndTeachInput (the prompt pseudo-function the payload encodes) and TrustAndTeach
// (postResponse, which the vouchers call).
import { ITrustAndTeachInput__factory, TrustAndTeach__factory } from '@tt/contracts/typechain';
import type { Interface } from 'ethers';

export function contractInterfaces(): { input: Interface; trustAndTeach: Interface } {
  return { input: ITrustAndTeachInput__factory.createInterface(), trustAndTeach: TrustAndTeach__factory.createInterface() };
}

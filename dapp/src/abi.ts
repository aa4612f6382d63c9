// The two contract interfaces the backend speaks, built from @tt/contracts' typechain ABIs so they can never drift
// from the Solidity: ITrustAndTeachInput (the prompt pseudo-function the payload encodes) and TrustAndTeach
// (postResponse, which the vouchers call). Interface objects are made here from the ABI arrays rather than taken from
// typechain's createInterface(): the contracts package is CommonJS, and its ethers types are a different declaration
// of the same class for the type checker.
import { ITrustAndTeachInput__factory, TrustAndTeach__factory } from '@tt/contracts/typechain';
import { Interface } from 'ethers';

export function contractInterfaces(): { input: Interface; trustAndTeach: Interface } {
  return {
    input: new Interface(ITrustAndTeachInput__factory.abi),
    trustAndTeach: new Interface(TrustAndTeach__factory.abi),
  };
}

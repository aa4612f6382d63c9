// The seeds of a prompt's two responses. They depend only on the conversation id and the response index, so any
// machine replaying the same input gets the same bits, and the two responses of one prompt use different streams.
// TrustAndTeach.seedFor computes the same on chain (docs/interfaces.md, "Seeds"):
//   uint64(first 8 bytes, big-endian, of keccak256(abi.encodePacked("trust-and-teach:seed:v1", uint256 id, uint8 index)))
import { solidityPackedKeccak256 } from 'ethers';

export const SEED_DOMAIN = 'trust-and-teach:seed:v1';

export function deriveSeed(conversationId: bigint, responseIndex: number): bigint {
  if (responseIndex !== 0 && responseIndex !== 1) {
    throw new RangeError(`a response index is 0 or 1, not ${responseIndex}`);
  }
  const hash = solidityPackedKeccak256(
    ['string', 'uint256', 'uint8'],
    [SEED_DOMAIN, conversationId, responseIndex],
  );
  // '0x' + 16 hex digits = the first 8 bytes, read big-endian.
  return BigInt(hash.slice(0, 18));
}

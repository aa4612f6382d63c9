// An input's payload is the call data of one ITrustAndTeachInput function (prompt, promptWithModel or teach);
// @tt/protocol's codec reads it and accepts only the one canonical encoding. Here a payload it refuses becomes a
// bad-payload rejection.
import {
  decodeTrustAndTeachInput,
  PayloadError,
  type PromptInput,
  type TrustAndTeachInput,
} from '@tt/protocol';
import { RejectError } from './errors.ts';

export type { PromptInput, TrustAndTeachInput };

export function decodeInput(payload: Uint8Array): TrustAndTeachInput {
  try {
    return decodeTrustAndTeachInput(payload);
  } catch (err) {
    if (err instanceof PayloadError) throw new RejectError('bad-payload', err.message);
    throw err;
  }
}

// An input's payload is the call data of ITrustAndTeachInput.prompt(...); @tt/protocol's codec reads it and accepts
// only the one canonical encoding. Here a payload it refuses becomes a bad-payload rejection.
import { decodePromptPayload, PayloadError, type PromptInput } from '@tt/protocol';
import { RejectError } from './errors.ts';

export type { PromptInput };

export function decodeInput(payload: Uint8Array): PromptInput {
  try {
    return decodePromptPayload(payload);
  } catch (err) {
    if (err instanceof PayloadError) throw new RejectError('bad-payload', err.message);
    throw err;
  }
}

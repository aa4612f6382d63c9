/**
 * Version of the engine's arithmetic, written into every notice. Bump it whenever a change could alter any output
 * bit (token ids, logits, sampling), so responses made by different engines can be told apart.
 */
export const ENGINE_VERSION = '1.0.0';

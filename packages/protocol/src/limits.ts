// The limits and defaults of a prompt (docs/interfaces.md, "Sampling parameters on the wire" and "Input payload").
// TrustAndTeach.sol enforces the same numbers on chain (a contracts test checks they agree), the backend checks them
// again, and the CLI and the UI check them before anything is sent, so a user hears about a bad value first.

/** Longest prompt, in bytes (not characters). */
export const MAX_PROMPT_BYTES = 4096;

/** Temperature in thousandths: 0 (greedy) ..= 2000. */
export const MAX_TEMPERATURE_MILLI = 2000;

/** Top-p in thousandths: 1 ..= 1000. */
export const MIN_TOP_P_MILLI = 1;
export const MAX_TOP_P_MILLI = 1000;

/** What `sendPrompt(prompt, steps)` uses, and what the CLI and the UI start from. */
export const DEFAULT_TEMPERATURE_MILLI = 800;
export const DEFAULT_TOP_P_MILLI = 900;

/** Every prompt is answered twice: response indices 0 and 1, one notice and one voucher each. */
export const RESPONSES_PER_PROMPT = 2;

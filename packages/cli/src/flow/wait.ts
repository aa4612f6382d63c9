// Polling until something is ready, with a deadline that ends in a message saying what was still missing.
import { TtError } from '@tt/client';

export const DEFAULT_WAIT_SECONDS = 600;

export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  opts: { timeoutSeconds?: number; intervalMs?: number; hint?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutSeconds ?? DEFAULT_WAIT_SECONDS) * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new TtError(
        'timeout',
        `gave up waiting for ${what} after ${opts.timeoutSeconds ?? DEFAULT_WAIT_SECONDS} s`,
        opts.hint,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

// The /finish loop: tell the node how the last request ended, get the next one, handle it, repeat, forever.
// It never returns on its own and never throws: a node that is down is waited for, a handler that throws becomes a
// rejected input with a report, because a dead backend halts the whole application (the in-machine server turns the
// process's exit into a rollup exception).
import {
  RollupProtocolError,
  type AdvanceRequest,
  type FinishStatus,
  type InspectRequest,
  type RollupRequest,
} from '@tt/cartesi-v1';
import type { RollupClient } from './client.ts';

export interface RequestHandlers {
  advance(request: AdvanceRequest): Promise<FinishStatus>;
  inspect(request: InspectRequest): Promise<FinishStatus>;
  /** Called when a handler threw: emit a report saying so. Errors it throws are logged and swallowed. */
  failed(request: RollupRequest, error: unknown): Promise<void>;
  /** Called when /finish answered 2xx with something that is not a request: the node now waits on it as the current
   *  request, which the loop rejects. Emit a report saying so. Errors it throws are logged and swallowed. */
  unreadable?(error: RollupProtocolError): Promise<void>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LoopOptions {
  log: Logger;
  /** Stops the loop after the current request (tests; SIGTERM). */
  signal?: AbortSignal;
  /** Back-off after a network or protocol error on /finish: starts here, doubles, stops growing at maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export async function runRollupLoop(
  client: RollupClient,
  handlers: RequestHandlers,
  options: LoopOptions,
): Promise<void> {
  const { log, signal } = options;
  const minRetryMs = options.minRetryMs ?? 100;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  let retryMs = minRetryMs;
  // The first status is ignored by the node; 'accept' is what the templates send.
  let status: FinishStatus = 'accept';
  let failures = 0;
  let lastFailure = '';

  while (!signal?.aborted) {
    let result;
    try {
      result = await client.finish(status, signal);
    } catch (err) {
      if (signal?.aborted) break;
      if (err instanceof RollupProtocolError) {
        // Not a connection problem: the node answered, and whatever it handed over is now its current request.
        // Finishing it with the previous status could accept an input nobody read, so it is rejected.
        log.error(`${err.message}; rejecting it`);
        try {
          await handlers.unreadable?.(err);
        } catch (reportErr) {
          log.error(`could not report the unreadable request: ${describe(reportErr)}`);
        }
        status = 'reject';
        continue;
      }
      failures++;
      // One line per failure would flood the log while the node restarts: log a failure when it differs from the
      // previous one, and a repeated one every 10th time.
      const message = describe(err);
      if (message !== lastFailure || failures % 10 === 0) {
        log.warn(`/finish failed (${message}); retrying in ${retryMs} ms [failure ${failures}]`);
      }
      lastFailure = message;
      await sleep(retryMs, signal);
      retryMs = Math.min(retryMs * 2, maxRetryMs);
      continue;
    }
    if (failures > 0) log.info(`rollup API reachable again after ${failures} failed /finish call(s)`);
    failures = 0;
    lastFailure = '';
    retryMs = minRetryMs;
    if (result.kind === 'retry') continue; // 202: no request yet; ask again with the same status
    status = await dispatch(result.request, handlers, log);
  }
}

async function dispatch(
  request: RollupRequest,
  handlers: RequestHandlers,
  log: Logger,
): Promise<FinishStatus> {
  try {
    return request.request_type === 'advance_state'
      ? await handlers.advance(request)
      : await handlers.inspect(request);
  } catch (err) {
    const what =
      request.request_type === 'advance_state' ? `input ${request.data.metadata.input_index}` : 'inspect';
    log.error(`${what}: unexpected error, rejecting: ${describe(err, true)}`);
    try {
      await handlers.failed(request, err);
    } catch (reportErr) {
      log.error(`${what}: could not report the error either: ${describe(reportErr)}`);
    }
    return 'reject';
  }
}

export function describe(err: unknown, withStack = false): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
    return withStack && err.stack ? `${err.stack}${cause}` : `${err.message}${cause}`;
  }
  return String(err);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

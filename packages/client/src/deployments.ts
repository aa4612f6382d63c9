// Finding a network's deployments file (docs/interfaces.md, "Deployments file") from its node, with errors that say
// what to do. The file's type and its checks are @tt/protocol's; a file that fails them becomes `no-deployments`.
import { deploymentsUrlFor, parseDeployments, ProtocolError, type Deployments } from '@tt/protocol';
import { isConnectionRefused, START_DEVNET_HINT, TtError } from './errors.ts';

/** Checks a parsed deployments file, as @tt/protocol does, with the failure as a TtError (`no-deployments`). */
export function checkDeployments(json: unknown, source: string): Deployments {
  try {
    return parseDeployments(json, source);
  } catch (err) {
    if (err instanceof ProtocolError) {
      throw new TtError(
        'no-deployments',
        err.message,
        'pass --deployments FILE with the file the deploy wrote',
        {
          cause: err,
        },
      );
    }
    throw err;
  }
}

/** The CartesiDApp, which posting needs; a deployment that has none yet says so. */
export function dappOf(deployments: Deployments): string {
  const dapp = deployments.contracts.CartesiDApp;
  if (!dapp) {
    throw new TtError(
      'no-deployments',
      `the ${deployments.network} deployments name no CartesiDApp, so there is nothing to execute vouchers on`,
      'bind the DApp and record it (contracts/README.md, "Deploying"), or pass --deployments with a complete file',
    );
  }
  return dapp;
}

export async function fetchDeployments(
  url: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): Promise<Deployments> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (err) {
    if (isConnectionRefused(err)) {
      throw new TtError('devnet-not-running', `nothing answers at ${url}`, START_DEVNET_HINT, { cause: err });
    }
    throw new TtError('node-unreachable', `cannot fetch ${url}: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
  if (!response.ok) {
    throw new TtError('no-deployments', `${url} answered HTTP ${response.status}`, 'pass --deployments FILE');
  }
  return checkDeployments(await response.json().catch(() => null), url);
}

export { deploymentsUrlFor };

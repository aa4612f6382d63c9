// The deployments file (docs/interfaces.md, "Deployments file"): where the contracts and services of one network are.
// Parsed and checked here so that a truncated or foreign file fails with a clear message instead of a bad address later.
import { getAddress } from 'ethers';
import { isConnectionRefused, START_DEVNET_HINT, TtError } from './errors.ts';
import type { Hex } from './model.ts';

export interface DeploymentsInfo {
  chainId: number;
  network: string;
  rpcUrl?: string;
  graphqlUrl?: string;
  inspectUrl?: string;
  contracts: { TrustAndTeach: Hex; InputBox: Hex; CartesiDApp: Hex; Authority?: Hex; History?: Hex };
  trustAndTeachDeploymentBlock: number;
  model?: { name: string; license: string; hash: Hex; seqLen: number };
}

export function parseDeployments(json: unknown, source: string): DeploymentsInfo {
  const bad = (what: string) =>
    new TtError(
      'no-deployments',
      `${source} is not a Trust-and-Teach deployments file: ${what}`,
      'pass --deployments FILE',
    );
  if (!json || typeof json !== 'object') throw bad('not a JSON object');
  const d = json as Record<string, unknown>;
  if (!Number.isSafeInteger(d.chainId)) throw bad('no chainId');
  const contracts = d.contracts as Record<string, unknown> | undefined;
  if (!contracts || typeof contracts !== 'object') throw bad('no contracts');
  const address = (name: string, required: boolean): Hex | undefined => {
    const a = contracts[name];
    if (a === undefined && !required) return undefined;
    if (typeof a !== 'string') throw bad(`no contracts.${name}`);
    try {
      return getAddress(a) as Hex;
    } catch {
      throw bad(`contracts.${name} is not an address`);
    }
  };
  return {
    ...(d as object),
    chainId: d.chainId as number,
    network: typeof d.network === 'string' ? d.network : `chain ${d.chainId}`,
    contracts: {
      TrustAndTeach: address('TrustAndTeach', true)!,
      InputBox: address('InputBox', true)!,
      CartesiDApp: address('CartesiDApp', true)!,
      Authority: address('Authority', false),
      History: address('History', false),
    },
    trustAndTeachDeploymentBlock: Number.isSafeInteger(d.trustAndTeachDeploymentBlock)
      ? (d.trustAndTeachDeploymentBlock as number)
      : 0,
  } as DeploymentsInfo;
}

/** Where a node serves its deployments: next to its GraphQL endpoint (`…/graphql` → `…/deployments.json`). */
export function deploymentsUrlFor(graphqlUrl: string): string {
  return new URL('/deployments.json', graphqlUrl).toString();
}

export async function fetchDeployments(
  url: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): Promise<DeploymentsInfo> {
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
  return parseDeployments(await response.json().catch(() => null), url);
}

// The deployments file (docs/interfaces.md, "Deployments file"): where the contracts and services of one network are.
// Written by the deploy script and the devnet, read by the CLI, the UI and the compose stack. One type, one parser:
// a truncated or foreign file fails here with a message naming the field, not later with a bad address.
import { getAddress, isHexString } from 'ethers';
import { InvalidDeploymentsError } from './errors.ts';

/** Addresses are checksummed 0x strings. */
export interface DeployedContracts {
  TrustAndTeach: string;
  /** The Cartesi v1 InputBox. */
  InputBox: string;
  /** Absent until a CartesiDApp exists (a testnet deployment may bind it later). */
  CartesiDApp?: string;
  Authority?: string;
  History?: string;
}

export interface DeployedModel {
  name: string;
  license: string;
  /** sha256(checkpoint ‖ tokenizer), 0x + 64 hex digits. */
  hash: string;
  /** The context length: the largest `steps`. */
  seqLen: number;
}

export interface Deployments {
  chainId: number;
  /** "devnet", "sepolia", "localhost", or the chain id as a string. */
  network: string;
  rpcUrl?: string;
  graphqlUrl?: string;
  inspectUrl?: string;
  contracts: DeployedContracts;
  /** First block to scan for TrustAndTeach events. */
  trustAndTeachDeploymentBlock: number;
  model: DeployedModel;
  /** Devnet only: every Cartesi v1 contract by name (factories, portals, relays). */
  cartesi?: Record<string, string>;
  /** Devnet only: the block the InputBox was deployed in, where a node starts reading inputs. */
  inputBoxDeploymentBlock?: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Checks a parsed deployments file and returns it typed, addresses checksummed; `source` names it in errors. */
export function parseDeployments(value: unknown, source = 'deployments'): Deployments {
  const fail = (problem: string): never => {
    throw new InvalidDeploymentsError(source, problem);
  };
  const address = (where: string, v: unknown): string => {
    if (typeof v !== 'string') return fail(`${where} must be an address`);
    try {
      return getAddress(v);
    } catch {
      return fail(`${where} is not an address`);
    }
  };
  if (!isRecord(value)) return fail('not a JSON object');
  if (!isCount(value.chainId) || value.chainId === 0) fail('chainId must be a positive integer');
  if (typeof value.network !== 'string' || value.network === '') fail('network must be a non-empty string');
  const urls: Pick<Deployments, 'rpcUrl' | 'graphqlUrl' | 'inspectUrl'> = {};
  for (const key of ['rpcUrl', 'graphqlUrl', 'inspectUrl'] as const) {
    const url = value[key];
    if (url === undefined) continue;
    if (typeof url !== 'string') fail(`${key} must be a string when present`);
    urls[key] = url as string;
  }

  if (!isRecord(value.contracts)) return fail('contracts must be an object');
  const c = value.contracts;
  const contracts: DeployedContracts = {
    TrustAndTeach: address('contracts.TrustAndTeach', c.TrustAndTeach),
    InputBox: address('contracts.InputBox', c.InputBox),
  };
  for (const key of ['CartesiDApp', 'Authority', 'History'] as const) {
    if (c[key] !== undefined) contracts[key] = address(`contracts.${key}`, c[key]);
  }
  if (!isCount(value.trustAndTeachDeploymentBlock))
    fail('trustAndTeachDeploymentBlock must be a block number');

  const m = value.model;
  if (!isRecord(m)) return fail('model must be an object');
  if (typeof m.name !== 'string') fail('model.name must be a string');
  if (typeof m.license !== 'string') fail('model.license must be a string');
  if (typeof m.hash !== 'string' || !isHexString(m.hash, 32)) fail('model.hash must be 0x + 64 hex digits');
  if (!isCount(m.seqLen) || m.seqLen === 0) fail('model.seqLen must be a positive integer');

  const out: Deployments = {
    chainId: value.chainId as number,
    network: value.network as string,
    ...urls,
    contracts,
    trustAndTeachDeploymentBlock: value.trustAndTeachDeploymentBlock as number,
    model: {
      name: m.name as string,
      license: m.license as string,
      hash: m.hash as string,
      seqLen: m.seqLen as number,
    },
  };
  if (value.cartesi !== undefined) {
    if (!isRecord(value.cartesi)) fail('cartesi must be an object of addresses when present');
    out.cartesi = Object.fromEntries(
      Object.entries(value.cartesi as Record<string, unknown>).map(([name, a]) => [
        name,
        address(`cartesi.${name}`, a),
      ]),
    );
  }
  if (value.inputBoxDeploymentBlock !== undefined) {
    if (!isCount(value.inputBoxDeploymentBlock)) fail('inputBoxDeploymentBlock must be a block number');
    out.inputBoxDeploymentBlock = value.inputBoxDeploymentBlock as number;
  }
  return out;
}

/** The CartesiDApp of a deployment, or an error saying the deployment is not finished. */
export function requireDApp(d: Deployments, source = 'the deployments file'): string {
  if (!d.contracts.CartesiDApp) {
    throw new InvalidDeploymentsError(
      source,
      'contracts.CartesiDApp is missing: the Cartesi application is not deployed or not recorded yet',
    );
  }
  return d.contracts.CartesiDApp;
}

/** Where a node serves its deployments: next to its GraphQL endpoint (`…/graphql` → `…/deployments.json`). */
export function deploymentsUrlFor(graphqlUrl: string): string {
  return new URL('/deployments.json', graphqlUrl).toString();
}

/** The name a chain's deployments file gets: a known network name, else the chain id. */
export function networkName(chainId: number): string {
  const known: Record<number, string> = { 1: 'mainnet', 11155111: 'sepolia', 31337: 'localhost' };
  return known[chainId] ?? String(chainId);
}

// The deployments file (docs/interfaces.md "Deployments file"): where the contracts of one chain are, written by the
// deploy script and the devnet, read by the devnet, the CLI and the frontend.
import { isAddress, isHexString } from 'ethers';

// The file helpers load Node's modules at call time through a computed specifier, so that a browser bundle (the
// frontend fetches the file and only needs parseDeployments) can import this module: bundlers leave such an import
// alone instead of failing on a Node built-in.
async function nodeModule<T>(specifier: string): Promise<T> {
  return (await import(specifier)) as T;
}
const nodeFs = () => nodeModule<typeof import('node:fs/promises')>('node:fs/promises');
const nodePath = () => nodeModule<typeof import('node:path')>('node:path');

export interface DeployedContracts {
  TrustAndTeach: string;
  InputBox: string;
  /** Absent until a CartesiDApp exists (a testnet deployment may bind it later). */
  CartesiDApp?: string;
  Authority?: string;
  History?: string;
}

export interface DeployedModel {
  name: string;
  license: string;
  /** sha256(checkpoint ‖ tokenizer), 0x-prefixed. */
  hash: string;
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
}

export class InvalidDeploymentsError extends Error {
  constructor(source: string, problem: string) {
    super(`${source} is not a valid deployments file: ${problem}`);
    this.name = 'InvalidDeploymentsError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks the shape of a parsed deployments file and returns it typed; `source` names it in the error. */
export function parseDeployments(value: unknown, source = 'deployments'): Deployments {
  const fail = (problem: string): never => {
    throw new InvalidDeploymentsError(source, problem);
  };
  if (!isRecord(value)) return fail('not a JSON object');
  if (!isCount(value.chainId) || value.chainId === 0) fail('chainId must be a positive integer');
  if (typeof value.network !== 'string' || value.network === '') fail('network must be a non-empty string');
  for (const key of ['rpcUrl', 'graphqlUrl', 'inspectUrl'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string')
      fail(`${key} must be a string when present`);
  }
  const contracts = value.contracts;
  if (!isRecord(contracts)) return fail('contracts must be an object');
  for (const key of ['TrustAndTeach', 'InputBox'] as const) {
    if (typeof contracts[key] !== 'string' || !isAddress(contracts[key]))
      fail(`contracts.${key} must be an address`);
  }
  for (const key of ['CartesiDApp', 'Authority', 'History'] as const) {
    const address = contracts[key];
    if (address !== undefined && (typeof address !== 'string' || !isAddress(address))) {
      fail(`contracts.${key} must be an address when present`);
    }
  }
  if (!isCount(value.trustAndTeachDeploymentBlock))
    fail('trustAndTeachDeploymentBlock must be a block number');
  const model = value.model;
  if (!isRecord(model)) return fail('model must be an object');
  if (typeof model.name !== 'string') fail('model.name must be a string');
  if (typeof model.license !== 'string') fail('model.license must be a string');
  if (typeof model.hash !== 'string' || !isHexString(model.hash, 32))
    fail('model.hash must be 0x + 64 hex digits');
  if (!isCount(model.seqLen) || model.seqLen === 0) fail('model.seqLen must be a positive integer');
  return value as unknown as Deployments;
}

/** Reads and checks a deployments file. */
export async function readDeployments(path: string): Promise<Deployments> {
  const { readFile } = await nodeFs();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidDeploymentsError(
      path,
      `cannot read it (${(error as Error).message}); run the deploy script first`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidDeploymentsError(path, `not JSON (${(error as Error).message})`);
  }
  return parseDeployments(json, path);
}

/** Checks and writes a deployments file (pretty-printed, trailing newline), creating its folder. */
export async function writeDeployments(path: string, deployments: Deployments): Promise<void> {
  parseDeployments(deployments, 'the deployments to write');
  const { mkdir, writeFile } = await nodeFs();
  const { dirname } = await nodePath();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(deployments, null, 2) + '\n');
}

/** The name a chain's deployments file gets: a known network name, else the chain id. */
export function networkName(chainId: number): string {
  const known: Record<number, string> = { 1: 'mainnet', 11155111: 'sepolia', 31337: 'localhost' };
  return known[chainId] ?? String(chainId);
}

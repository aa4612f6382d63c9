// The connection every flow command starts from: deployments, a provider checked against them, the GraphQL reader,
// and (for commands that send transactions) a signer chosen by --private-key / TT_PRIVATE_KEY / --account.
import { checkChain, GraphQLClient, trustAndTeach, TtError, type ReadOptions } from '@tt/client';
import { DEVNET_CHAIN_ID, devnetAccount, type Deployments } from '@tt/protocol';
import { DEFAULT_GRAPHQL_URL, DEFAULT_RPC_URL, resolveDeployments } from '@tt/client/node';
import { JsonRpcProvider, Network, Wallet, type Signer } from 'ethers';
import { CliError } from '../errors.ts';
import { parseIntegerFlag, type GlobalFlags } from './args.ts';

export const DEFAULT_DEVNET_ACCOUNT = 1;

export interface Connection {
  deployments: Deployments;
  rpcUrl: string;
  graphqlUrl: string;
  provider: JsonRpcProvider;
  graphql: GraphQLClient;
  /** Blocks per eth_getLogs query: --block-range, else TT_BLOCK_RANGE, else the client's default. */
  blockRange: number | undefined;
}

export async function connect(flags: GlobalFlags): Promise<Connection> {
  const blockRange = parseIntegerFlag(
    'block-range',
    flags['block-range'] ?? process.env.TT_BLOCK_RANGE,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  // Notes go to stderr: under --json stdout's last line is the result.
  const deployments = await resolveDeployments({
    file: flags.deployments,
    graphqlUrl: flags.graphql,
    onNote: (line) => process.stderr.write(`${line}\n`),
  });
  const rpcUrl = flags.rpc ?? deployments.rpcUrl ?? DEFAULT_RPC_URL;
  const graphqlUrl = flags.graphql ?? deployments.graphqlUrl ?? DEFAULT_GRAPHQL_URL;
  // A static network stops ethers from probing (and retrying forever) on its own; checkChain asks the node instead.
  const provider = new JsonRpcProvider(rpcUrl, Network.from(deployments.chainId), {
    staticNetwork: true,
    pollingInterval: 250,
  });
  try {
    await checkChain(provider, deployments, rpcUrl);
  } catch (err) {
    provider.destroy();
    throw err;
  }
  return { deployments, rpcUrl, graphqlUrl, provider, graphql: new GraphQLClient(graphqlUrl), blockRange };
}

/** What @tt/client's readers need, for this connection (read-only contract). */
export function readOptions(conn: Connection): ReadOptions {
  return {
    contract: trustAndTeach(conn.deployments.contracts.TrustAndTeach, conn.provider),
    provider: conn.provider,
    fromBlock: conn.deployments.trustAndTeachDeploymentBlock,
    blockRange: conn.blockRange,
    rpcUrl: conn.rpcUrl,
  };
}

/** Said once per process when a key came on the command line. */
let warnedAboutKeyFlag = false;

export function signerFor(flags: GlobalFlags, connection: Connection): Signer {
  if (flags['private-key'] !== undefined && !warnedAboutKeyFlag) {
    warnedAboutKeyFlag = true;
    process.stderr.write(
      'note: --private-key is readable by every local user while tt runs (ps, /proc/<pid>/cmdline); set TT_PRIVATE_KEY instead\n',
    );
  }
  const key = flags['private-key'] ?? process.env.TT_PRIVATE_KEY;
  if (key && flags.account !== undefined) {
    throw new CliError('give either --account or a private key, not both', undefined, 2);
  }
  if (key) {
    try {
      return new Wallet(key.startsWith('0x') ? key : `0x${key}`, connection.provider);
    } catch {
      throw new CliError(
        'the private key is not a 32-byte hex string',
        'check --private-key / TT_PRIVATE_KEY',
        2,
      );
    }
  }
  const onDevnet = connection.deployments.chainId === DEVNET_CHAIN_ID;
  if (flags.account === undefined && !onDevnet) {
    throw new TtError(
      'no-signer',
      `no account to sign with on ${connection.deployments.network}`,
      'pass --private-key KEY or set TT_PRIVATE_KEY',
    );
  }
  // Default #1, not #0: the devnet's node submits its claims from #0, and sharing an account means racing for nonces.
  const n = flags.account === undefined ? DEFAULT_DEVNET_ACCOUNT : Number(flags.account);
  if (!/^\d+$/.test(flags.account ?? '0') || !Number.isSafeInteger(n)) {
    throw new CliError(
      `--account takes a test account number (0, 1, 2, …), not '${flags.account}'`,
      undefined,
      2,
    );
  }
  if (!onDevnet) {
    throw new TtError(
      'no-signer',
      `--account uses the public devnet test keys, which hold nothing on ${connection.deployments.network}`,
      'pass --private-key KEY or set TT_PRIVATE_KEY',
    );
  }
  return devnetAccount(n).connect(connection.provider);
}

import type { Server } from 'node:http';
import { BrowserProvider, JsonRpcSigner } from 'ethers';
import { createHardhatProvider } from './hardhat.js';
import { JournaledProvider, readJournal } from './journal.js';
import { startRpcServer } from './rpc-server.js';
import { listenError } from '../errors.js';
import { accessPolicy } from '../http/access.js';

export {
  deployCartesi,
  CANONICAL_ADDRESSES,
  type CartesiDeployed,
  type CartesiDeployment,
} from './cartesi.js';
export { ChainFacts, firstBlockWithCode } from './facts.js';
export { CHAIN_ID, type Eip1193Provider } from './hardhat.js';
export { JournaledProvider } from './journal.js';

export interface Chain {
  provider: JournaledProvider;
  /** ethers view of the chain, in process (no HTTP hop). */
  ethers: BrowserProvider;
  rpcUrl: string;
  /** How many journaled requests were replayed to rebuild the chain (0 for a new chain). */
  replayed: number;
  /** Names this chain among all chains ever created here: the node refuses state saved for another one. */
  identity(): Promise<string>;
  signer(index: number): Promise<JsonRpcSigner>;
  stop(): Promise<void>;
}

export async function startChain(opts: {
  journalPath: string;
  host: string;
  port: number;
  /** Web origins allowed to call (the UI's); wallet extensions are allowed too. Default: the UI on port 5173. */
  allowedOrigins?: readonly string[];
  log?: (line: string) => void;
}): Promise<Chain> {
  const existing = readJournal(opts.journalPath);
  const initialDate = existing?.initialDate ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const hardhat = await createHardhatProvider({ initialDate });
  const provider = new JournaledProvider(hardhat, opts.journalPath);
  const t0 = Date.now();
  const { replayed, instance } = await provider.open(initialDate, existing);
  if (replayed) opts.log?.(`chain: replayed ${replayed} journaled requests in ${Date.now() - t0} ms`);
  let server: Server | undefined;
  let rpcUrl: string;
  try {
    ({ server, url: rpcUrl } = await startRpcServer(
      provider,
      opts.host,
      opts.port,
      accessPolicy({ origins: opts.allowedOrigins, host: opts.host, extensions: true }),
    ));
  } catch (e) {
    provider.close();
    throw listenError(e, 'chain', opts.port);
  }
  // polling: ethers' default 4 s is far too slow for a dev chain that mines on every transaction
  const ethersProvider = new BrowserProvider(provider, 31337, {
    staticNetwork: true,
    pollingInterval: 100,
    cacheTimeout: -1,
  });
  return {
    provider,
    ethers: ethersProvider,
    rpcUrl,
    replayed,
    async identity() {
      const genesis = await ethersProvider.getBlock(0);
      return instance ? `${genesis!.hash!}:${instance}` : genesis!.hash!;
    },
    signer: (i) => ethersProvider.getSigner(i),
    async stop() {
      ethersProvider.destroy();
      await new Promise<void>((r) => server!.close(() => r()));
      server!.closeAllConnections?.();
      // let queued requests finish before the journal closes
      await provider.request({ method: 'eth_blockNumber' }).catch(() => undefined);
      provider.close();
    },
  };
}

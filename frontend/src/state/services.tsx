// Everything the page reads through, for the network picked in the header: the deployments file, a read-only RPC
// provider and contract, the Apollo client for the rollup node's GraphQL reader, and the model worker for Verify.
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { trustAndTeach, type ReadOptions, type TrustAndTeach } from '@tt/client';
import { type Deployments } from '@tt/protocol';
import { JsonRpcProvider } from 'ethers';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fetchDeployments } from '../config/deployments.ts';
import type { NetworkConfig } from '../config/networks.ts';
import { describeError, type UserError } from '../lib/errors.ts';
import { modelClientFor, type ModelClient } from '../verify/modelClient.ts';

export interface Services {
  network: NetworkConfig;
  deployments: Deployments;
  provider: JsonRpcProvider;
  contract: TrustAndTeach;
  apollo: ApolloClient<unknown>;
  model: ModelClient;
}

/**
 * How the page reads TrustAndTeach's events: from its deployment block, in the network's block ranges, through its
 * RPC URL. The conversation list and Verify's chain reads both use it, so a provider's getLogs limit holds for both.
 */
export function chainReadOptions(services: Services): Omit<ReadOptions, 'ids'> {
  const { contract, provider, deployments, network } = services;
  return {
    contract,
    provider,
    fromBlock: deployments.trustAndTeachDeploymentBlock,
    blockRange: network.blockRange,
    rpcUrl: network.rpcUrl,
  };
}

export type ServicesState =
  | { status: 'loading' }
  | { status: 'error'; error: UserError; retrying: boolean }
  | { status: 'ready'; services: Services };

const RETRY_MS = 3000;

export function createApollo(graphqlUrl: string): ApolloClient<unknown> {
  return new ApolloClient({
    link: new HttpLink({ uri: graphqlUrl }),
    cache: new InMemoryCache({
      typePolicies: {
        // Inputs have a global index; outputs are numbered within their input, so they are kept inside it.
        Input: { keyFields: ['index'] },
        Notice: { keyFields: false },
        Voucher: { keyFields: false },
        Report: { keyFields: false },
        Proof: { keyFields: false },
      },
    }),
    defaultOptions: {
      watchQuery: {
        fetchPolicy: 'cache-and-network',
        nextFetchPolicy: 'cache-first',
        notifyOnNetworkStatusChange: false,
      },
    },
  });
}

/** Loads the deployments for `network` and builds the clients; retries every few seconds while the node is down. */
export function useServicesState(network: NetworkConfig): ServicesState & { retry: () => void } {
  const [state, setState] = useState<ServicesState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    fetchDeployments(network, ac.signal)
      .then((deployments) => {
        const provider = new JsonRpcProvider(network.rpcUrl, network.chainId, {
          staticNetwork: true,
          polling: true,
          pollingInterval: 1000,
        });
        setState({
          status: 'ready',
          services: {
            network,
            deployments,
            provider,
            contract: trustAndTeach(deployments.contracts.TrustAndTeach, provider),
            apollo: createApollo(network.graphqlUrl),
            model: modelClientFor({ modelUrl: network.modelUrl }),
          },
        });
      })
      .catch((err: unknown) => {
        if (ac.signal.aborted) return;
        setState({ status: 'error', error: describeError(err), retrying: true });
        timer = setTimeout(() => setAttempt((a) => a + 1), RETRY_MS);
      });
    return () => {
      ac.abort();
      clearTimeout(timer);
    };
  }, [network, attempt]);

  return useMemo(() => ({ ...state, retry: () => setAttempt((a) => a + 1) }), [state]);
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside ServicesProvider');
  return s;
}

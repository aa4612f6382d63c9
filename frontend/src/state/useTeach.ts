// Fine-tuning inside the rollup as the Teach tab sees it, read again on every new block: the teach calls and the
// continue inputs (contract events), what the machine did with each input (its teach/model notices and the
// registerModel voucher, from the node), and the model versions the contract registered.
import {
  GraphQLClient,
  readModelVersions,
  readTeachContinues,
  readTeachInput,
  readTeachRequests,
  type ModelVersion,
  type TeachInputState,
  type TeachRequest,
} from '@tt/client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { describeError, type UserError } from '../lib/errors.ts';
import type { Services } from './services.tsx';

export interface TeachInputRow {
  inputIndex: number;
  kind: 'teach' | 'continue';
  /** null while the node has not read it */
  state: TeachInputState | null;
}

export interface TeachData {
  requests: TeachRequest[];
  inputs: TeachInputRow[];
  versions: ModelVersion[];
  loading: boolean;
  error: UserError | null;
  refresh(): void;
}

export function useTeach(services: Services, blockNumber: number | null): TeachData {
  const [data, setData] = useState<Omit<TeachData, 'refresh' | 'loading' | 'error'> | null>(null);
  const [error, setError] = useState<UserError | null>(null);
  const [tick, setTick] = useState(0);
  const graphql = useMemo(
    () => new GraphQLClient(services.network.graphqlUrl),
    [services.network.graphqlUrl],
  );
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const { contract, deployments } = services;
    const from = deployments.trustAndTeachDeploymentBlock;
    const tt = deployments.contracts.TrustAndTeach;
    (async () => {
      const [requests, continues, versions] = await Promise.all([
        readTeachRequests(contract, from),
        readTeachContinues(contract, from),
        readModelVersions(contract, from),
      ]);
      const indices = [
        ...requests.map((r) => ({ inputIndex: r.inputIndex, kind: 'teach' as const })),
        ...continues.map((i) => ({ inputIndex: i, kind: 'continue' as const })),
      ].sort((a, b) => a.inputIndex - b.inputIndex);
      const inputs = await Promise.all(
        indices.map(async (i) => ({ ...i, state: await readTeachInput(graphql, i.inputIndex, tt) })),
      );
      if (mine === seq.current) {
        setData({ requests, inputs, versions });
        setError(null);
      }
    })().catch((err: unknown) => {
      if (mine === seq.current) setError(describeError(err));
    });
  }, [services, graphql, blockNumber, tick]);

  return {
    requests: data?.requests ?? [],
    inputs: data?.inputs ?? [],
    versions: data?.versions ?? [],
    loading: data === null && error === null,
    error,
    refresh: () => setTick((t) => t + 1),
  };
}

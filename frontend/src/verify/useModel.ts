import { useEffect, useState } from 'react';
import type { ModelClient, ModelLoad } from './modelClient.ts';

/** The model worker's load state, re-rendered as it changes. */
export function useModelLoad(client: ModelClient | null): ModelLoad {
  const [state, setState] = useState<ModelLoad>(client?.state ?? { phase: 'idle' });
  useEffect(() => {
    if (!client) return;
    setState(client.state);
    return client.subscribe(setState);
  }, [client]);
  return state;
}

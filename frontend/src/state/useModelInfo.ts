// The backend's own description of its model (inspect `info`), asked once per network: the Inspect model card shows
// it, and the page warns when its tokenizer does not fit its checkpoint (every response would be unreadable).
import type { InfoReport } from '@tt/protocol';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../lib/errors.ts';
import { fetchInspectInfo } from '../lib/payloads.ts';
import type { Services } from './services.tsx';

export interface ModelInfo {
  data?: InfoReport;
  error?: string;
  retry: () => void;
}

export function useModelInfo(services: Services, refreshMs?: number): ModelInfo {
  const [info, setInfo] = useState<{ data?: InfoReport; error?: string }>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    const load = () =>
      fetchInspectInfo(services.network.inspectUrl, ac.signal)
        .then((data) => setInfo({ data }))
        .catch(
          (err: unknown) =>
            !ac.signal.aborted && setInfo((i) => ({ ...i, error: describeError(err).message })),
        );
    void load();
    const t = refreshMs ? setInterval(() => void load(), refreshMs) : undefined;
    return () => {
      ac.abort();
      clearInterval(t);
    };
  }, [services, attempt, refreshMs]);
  return { ...info, retry: useCallback(() => setAttempt((a) => a + 1), []) };
}

export interface TokenizerMismatch {
  vocabSize: number;
  tokenizerPieces: number;
}

/** The model's vocabulary and its tokenizer's pieces when they differ (the backend reports both), else null. */
export function tokenizerMismatch(info: InfoReport | undefined): TokenizerMismatch | null {
  const c = info?.model.config as { vocabSize?: unknown; tokenizerPieces?: unknown } | undefined;
  if (typeof c?.vocabSize !== 'number' || typeof c.tokenizerPieces !== 'number') return null;
  return c.vocabSize === c.tokenizerPieces
    ? null
    : { vocabSize: c.vocabSize, tokenizerPieces: c.tokenizerPieces };
}

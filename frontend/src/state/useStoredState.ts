// A setting that survives a reload (the queue's filter, auto-advance): useState backed by localStorage.
import { useCallback, useState } from 'react';

export function useStoredState<T>(key: string, initial: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = globalThis.localStorage?.getItem(key);
      return raw === null || raw === undefined ? initial : (JSON.parse(raw) as T);
    } catch {
      return initial;
    }
  });
  const set = useCallback(
    (v: T) => {
      setValue(v);
      try {
        globalThis.localStorage?.setItem(key, JSON.stringify(v));
      } catch {
        // private mode or full: the setting lasts for this page only
      }
    },
    [key],
  );
  return [value, set];
}

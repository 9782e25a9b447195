/*
 * Loading one thing for a page: `loading` → `ready` (or `error`), `reload()` to fetch again. A
 * failed refresh keeps what is on screen and reports the error through `onRefreshError`.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';

export type Resource<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

export interface UseResource<T> {
  state: Resource<T>;
  /** Present once loaded. */
  data: T | undefined;
  refreshing: boolean;
  reload: () => void;
  /** Local edits after a successful write (no refetch). */
  setData: Dispatch<SetStateAction<T>>;
}

/** `deps`: the (JSON-serialisable) inputs of `load`; a change loads again from scratch. */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], onRefreshError?: (error: unknown) => void): UseResource<T> {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(true);
  const [key, setKey] = useState(0);
  const latest = useRef({ load, onRefreshError });
  latest.current = { load, onRefreshError };

  // New inputs (e.g. another filter) show the loading state rather than the old answer.
  const depsKey = JSON.stringify(deps);
  const shownFor = useRef(depsKey);

  useEffect(() => {
    const controller = new AbortController();
    if (shownFor.current !== depsKey) {
      shownFor.current = depsKey;
      setState({ status: 'loading' });
    }
    setRefreshing(true);
    latest.current
      .load()
      .then((data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState((current) => {
          if (current.status === 'ready') {
            latest.current.onRefreshError?.(error);
            return current;
          }
          return { status: 'error', error };
        });
      })
      .finally(() => {
        if (!controller.signal.aborted) setRefreshing(false);
      });
    return () => controller.abort();
  }, [key, depsKey]);

  const reload = useCallback(() => setKey((n) => n + 1), []);
  const setData = useCallback<Dispatch<SetStateAction<T>>>((action) => {
    setState((current) => {
      if (current.status !== 'ready') return current;
      const data = typeof action === 'function' ? (action as (previous: T) => T)(current.data) : action;
      return { status: 'ready', data };
    });
  }, []);

  return { state, data: state.status === 'ready' ? state.data : undefined, refreshing, reload, setData };
}

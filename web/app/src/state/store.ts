import type { Action } from './actions.js';
import { INITIAL_STATE, reducer } from './reducer.js';
import type { AppState } from './types.js';

type Listener = () => void;

/** A tiny external store: one immutable state, a reducer, and subscribers (read with useSyncExternalStore). */
export interface Store {
  getState(): AppState;
  dispatch(action: Action): void;
  subscribe(listener: Listener): () => void;
}

export function createStore(initial: AppState = INITIAL_STATE): Store {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

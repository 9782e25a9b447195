import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Store } from './store.js';
import type { AppState } from './types.js';

const StoreContext = createContext<Store | null>(null);

export function StoreProvider({ store, children }: { store: Store; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): Store {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore must be used inside <StoreProvider>');
  return store;
}

/**
 * Subscribes to one slice of state. The selector must return something already in the state (or a
 * primitive) so that unrelated changes do not re-render; derive lists with useMemo on top.
 */
export function useAppState<T>(selector: (state: AppState) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}

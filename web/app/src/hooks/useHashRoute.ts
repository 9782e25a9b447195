import { useCallback, useSyncExternalStore } from 'react';

/**
 * The open conversation lives in the URL hash (`#/c/<id>`), so reload, back/forward and the phone's
 * back gesture all work, and the server needs no SPA fallback route.
 */
const PREFIX = '#/c/';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

function currentId(): string | null {
  const { hash } = window.location;
  if (!hash.startsWith(PREFIX)) return null;
  const id = decodeURIComponent(hash.slice(PREFIX.length));
  return id.length > 0 ? id : null;
}

export function useOpenConversationId(): string | null {
  return useSyncExternalStore(subscribe, currentId);
}

export function openConversation(id: string | null): void {
  const target = id ? `${PREFIX}${encodeURIComponent(id)}` : '#/';
  if (window.location.hash !== target) window.location.hash = target;
}

/** Returns a stable callback; `replace` avoids a history entry (used when a conversation disappears). */
export function useNavigate(): (id: string | null, options?: { replace?: boolean }) => void {
  return useCallback((id, options) => {
    if (options?.replace) {
      const target = id ? `${PREFIX}${encodeURIComponent(id)}` : '#/';
      history.replaceState(history.state, '', target);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      return;
    }
    openConversation(id);
  }, []);
}

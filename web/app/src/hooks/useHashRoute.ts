import { useCallback, useSyncExternalStore } from 'react';

/**
 * What is open lives in the URL hash, so reload, back/forward and the phone's back gesture all work,
 * and the server needs no SPA fallback route:
 * - `#/c/<conversationId>`   an IM conversation
 * - `#/visitors/<chatId>`    a visitor chat (the CS server's "ask a colleague" message links here)
 * - `#/transcripts`          the transcript search of agents
 * - `#/`                     nothing (the list on a phone, the welcome pane on a laptop)
 */
export type Route = { kind: 'home' } | { kind: 'conversation'; id: string } | { kind: 'visitor'; id: string } | { kind: 'transcripts' };

const PREFIX = '#/c/';
const VISITOR_PREFIX = '#/visitors/';
const TRANSCRIPTS = '#/transcripts';
const HOME: Route = { kind: 'home' };

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

function idAfter(hash: string, prefix: string): string | null {
  if (!hash.startsWith(prefix)) return null;
  const id = decodeURIComponent(hash.slice(prefix.length).split(/[?/]/)[0] ?? '');
  return id.length > 0 ? id : null;
}

let cachedHash: string | null = null;
let cachedRoute: Route = HOME;

/** The route for the current hash; the same object while the hash is unchanged (useSyncExternalStore). */
export function currentRoute(): Route {
  const { hash } = window.location;
  if (hash === cachedHash) return cachedRoute;
  cachedHash = hash;
  const conversation = idAfter(hash, PREFIX);
  const visitor = idAfter(hash, VISITOR_PREFIX);
  cachedRoute = conversation
    ? { kind: 'conversation', id: conversation }
    : visitor
      ? { kind: 'visitor', id: visitor }
      : hash === TRANSCRIPTS || hash.startsWith(`${TRANSCRIPTS}?`)
        ? { kind: 'transcripts' }
        : HOME;
  return cachedRoute;
}

export function hashFor(route: Route): string {
  switch (route.kind) {
    case 'conversation':
      return `${PREFIX}${encodeURIComponent(route.id)}`;
    case 'visitor':
      return `${VISITOR_PREFIX}${encodeURIComponent(route.id)}`;
    case 'transcripts':
      return TRANSCRIPTS;
    case 'home':
      return '#/';
  }
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, currentRoute);
}

export function useOpenConversationId(): string | null {
  const route = useRoute();
  return route.kind === 'conversation' ? route.id : null;
}

export function goTo(route: Route, options?: { replace?: boolean }): void {
  const target = hashFor(route);
  if (options?.replace) {
    history.replaceState(history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    return;
  }
  if (window.location.hash !== target) window.location.hash = target;
}

export function openConversation(id: string | null): void {
  goTo(id ? { kind: 'conversation', id } : HOME);
}

/** Returns a stable callback; `replace` avoids a history entry (used when a conversation disappears). */
export function useNavigate(): (id: string | null, options?: { replace?: boolean }) => void {
  return useCallback((id, options) => goTo(id ? { kind: 'conversation', id } : HOME, options), []);
}

/** Navigation to any route (visitor chats, transcripts). */
export function useGoTo(): (route: Route, options?: { replace?: boolean }) => void {
  return useCallback((route, options) => goTo(route, options), []);
}

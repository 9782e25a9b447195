/*
 * Hash routing (`/admin/#/users`): works behind any static server, with no fallback rules needed
 * for deep links or reloads. A route is a list of path segments; the first picks the section,
 * the rest belong to the section (e.g. `#/users/<id>` later).
 */
import { useMemo, useSyncExternalStore } from 'react';

export interface Route {
  segments: string[];
  query: URLSearchParams;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return { segments, query: new URLSearchParams(queryPart) };
}

export function hrefFor(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const target = href.startsWith('#') ? href : `#${href}`;
  if (options.replace) {
    window.history.replaceState(window.history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

export function useRoute(): Route & { navigate: typeof navigate } {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return useMemo(() => ({ ...parseHash(hash), navigate }), [hash]);
}

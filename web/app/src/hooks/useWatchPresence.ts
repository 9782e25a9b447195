import { useEffect, useState, type RefObject } from 'react';
import { LIMITS } from '@switchboard/protocol';
import { useChatActions } from '../net/actions.js';

/**
 * Keeps the presence of these users live while the component is on screen. The server sends
 * contacts' presence anyway; lists of other people (the directory, pickers) ask for theirs, the
 * first LIMITS.maxPresenceSubscriptions in the order given.
 */
export function useWatchPresence(userIds: readonly string[]): void {
  const actions = useChatActions();
  const key = userIds.slice(0, LIMITS.maxPresenceSubscriptions).join(',');
  useEffect(() => actions.watchPresence(key === '' ? [] : key.split(',')), [actions, key]);
}

/**
 * The `data-user-id` of the rows inside `container` that are in view, in document order. A long
 * directory then asks for the presence of the two dozen people on screen, not of everyone: with
 * thousands of users, everyone watching everyone is what made a reconnect storm cost N².
 */
export function useRowsInView(container: RefObject<HTMLElement | null>, rowsChanged: unknown): string[] {
  const [inView, setInView] = useState<string[]>([]);
  useEffect(() => {
    const root = container.current;
    if (!root || typeof IntersectionObserver === 'undefined') return;
    const visible = new Set<Element>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = () => {
      timer = undefined;
      const rows = [...root.querySelectorAll<HTMLElement>('[data-user-id]')].filter((row) => visible.has(row));
      setInView(rows.map((row) => row.dataset.userId ?? '').filter(Boolean));
    };
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) visible.add(entry.target);
        else visible.delete(entry.target);
      }
      // Scrolling fires many changes; the subscription follows once it settles.
      timer ??= setTimeout(publish, 150);
    });
    for (const row of root.querySelectorAll('[data-user-id]')) observer.observe(row);
    return () => {
      observer.disconnect();
      if (timer) clearTimeout(timer);
    };
  }, [container, rowsChanged]);
  return inView;
}

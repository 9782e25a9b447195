import { useEffect, useRef } from 'react';

export const IDLE_AFTER_MS = 5 * 60 * 1000;
const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

/**
 * Reports 'away' when the tab is hidden or nobody has touched it for five minutes, and 'online'
 * as soon as the user is back. Calls `report` only when the status changes.
 */
export function useIdlePresence(report: (status: 'online' | 'away') => void): void {
  const reportRef = useRef(report);
  reportRef.current = report;

  useEffect(() => {
    let status: 'online' | 'away' = document.visibilityState === 'hidden' ? 'away' : 'online';
    let timer = 0;
    let lastActivity = Date.now();

    const set = (next: 'online' | 'away'): void => {
      if (next === status) return;
      status = next;
      reportRef.current(next);
    };
    const arm = (): void => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => set('away'), IDLE_AFTER_MS);
    };
    const onActivity = (): void => {
      const now = Date.now();
      // Pointer moves fire constantly; re-arming the timer a few times a second is plenty.
      if (status === 'online' && now - lastActivity < 1000) return;
      lastActivity = now;
      if (document.visibilityState === 'visible') set('online');
      arm();
    };
    const onVisibility = (): void => {
      if (document.visibilityState === 'hidden') {
        window.clearTimeout(timer);
        set('away');
      } else {
        lastActivity = Date.now();
        set('online');
        arm();
      }
    };

    if (status === 'away') reportRef.current('away');
    else arm();
    for (const event of ACTIVITY_EVENTS) window.addEventListener(event, onActivity, { passive: true });
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearTimeout(timer);
      for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, onActivity);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
}

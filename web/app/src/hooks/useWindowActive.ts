import { useSyncExternalStore } from 'react';

/** True while the tab is visible and the window has focus: the user can see new messages. */
function subscribe(listener: () => void): () => void {
  document.addEventListener('visibilitychange', listener);
  window.addEventListener('focus', listener);
  window.addEventListener('blur', listener);
  return () => {
    document.removeEventListener('visibilitychange', listener);
    window.removeEventListener('focus', listener);
    window.removeEventListener('blur', listener);
  };
}

function snapshot(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export function useWindowActive(): boolean {
  return useSyncExternalStore(subscribe, snapshot);
}

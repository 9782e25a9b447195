/**
 * Getting an agent's attention: a short chime made with WebAudio (no audio file to load), desktop
 * notifications while the tab is hidden, and the sound setting (saved in localStorage).
 */

const SOUND_KEY = 'switchboard.sound';

type Listener = () => void;
const listeners = new Set<Listener>();

function readSound(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

let soundOn = readSound();

/** The "sound alerts" setting, for useSyncExternalStore. */
export const soundSetting = {
  get: (): boolean => soundOn,
  set(on: boolean): void {
    soundOn = on;
    try {
      localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    } catch {
      // The choice lasts for this page only.
    }
    for (const listener of listeners) listener();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

type AudioContextCtor = new () => AudioContext;

let context: AudioContext | null = null;
let unlockInstalled = false;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor = (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext) as AudioContextCtor | undefined;
  if (!Ctor) return null;
  try {
    context = new Ctor();
  } catch {
    return null;
  }
  return context;
}

/**
 * Browsers start audio only after a user gesture. Called from a click (the duty prompt's "Yes"),
 * and armed once for the next keystroke or pointer press, so the first ring can be heard.
 */
export function unlockAudio(): void {
  void audioContext()
    ?.resume()
    .catch(() => undefined);
  if (unlockInstalled) return;
  unlockInstalled = true;
  const unlock = (): void => {
    void audioContext()
      ?.resume()
      .catch(() => undefined);
    if (context?.state === 'running') {
      window.removeEventListener('pointerdown', unlock, true);
      window.removeEventListener('keydown', unlock, true);
    }
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}

/** Counts rings, so tests (and curious people) can see that the alert fired: `document.body.dataset.rings`. */
let rings = 0;

/** A two-note chime, about 0.4 s. Silent when sound is off or audio is not allowed yet. */
export function ring(): void {
  rings += 1;
  document.body.dataset.rings = String(rings);
  if (!soundOn) return;
  const audio = audioContext();
  if (!audio || audio.state !== 'running') {
    void audio?.resume().catch(() => undefined);
    if (audio?.state !== 'running') return;
  }
  const start = audio.currentTime + 0.01;
  const notes: [frequency: number, at: number][] = [
    [880, 0],
    [1318.5, 0.14],
  ];
  for (const [frequency, at] of notes) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(0.18, start + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.26);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + at);
    oscillator.stop(start + at + 0.28);
  }
}

export function notificationsSupported(): boolean {
  return typeof window.Notification === 'function';
}

/** Asks for permission to show desktop notifications (once; the browser remembers the answer). */
export function askNotificationPermission(): void {
  if (!notificationsSupported() || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

/** The tab is hidden (or the window is in the background): the agent cannot see the app. */
export function pageHidden(): boolean {
  return document.visibilityState === 'hidden' || !document.hasFocus();
}

/**
 * A desktop notification (plain text: the title and body are never HTML). Clicking it focuses the
 * window and runs `onClick`. One per tag: a newer one for the same chat replaces the older.
 */
export function desktopNotify(title: string, body: string, tag: string, onClick: () => void): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  try {
    const notification = new Notification(title, { body: body.slice(0, 200), tag, icon: `${import.meta.env.BASE_URL}favicon.svg` });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; the sound and title still work.
  }
}

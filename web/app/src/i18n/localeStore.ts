import { detectLocale, isLocale, type Locale } from './locales.js';

/** The chosen language: an explicit choice saved in localStorage wins over the browser's preference. */
const STORAGE_KEY = 'switchboard.locale';

type Listener = () => void;
const listeners = new Set<Listener>();

function readSaved(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : null;
  } catch {
    return null;
  }
}

function browserPreference(): Locale {
  const preferred = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return detectLocale(preferred);
}

let current: Locale = readSaved() ?? browserPreference();

export const localeStore = {
  get(): Locale {
    return current;
  },
  set(locale: Locale): void {
    current = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Private mode or storage full: the choice lasts for this page only.
    }
    for (const listener of listeners) listener();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

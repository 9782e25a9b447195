import type { Locale } from './locales.js';
import type { Translate } from './translate.js';

export interface Formatters {
  /** "14:05" */
  time(epochMs: number): string;
  /** "Today", "Yesterday" or a full date, for day separators. */
  day(epochMs: number): string;
  /** Short stamp for the sidebar: a time today, a weekday this week, else a date. */
  stamp(epochMs: number): string;
  /** Full date and time, for tooltips. */
  full(epochMs: number): string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(epochMs: number): number {
  const date = new Date(epochMs);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** A stable key for the calendar day of a timestamp in local time. */
export function dayKey(epochMs: number): number {
  return startOfDay(epochMs);
}

export function makeFormatters(locale: Locale, t: Translate): Formatters {
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short' });
  const shortDate = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });
  const longDate = new Intl.DateTimeFormat(locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    time: (epochMs) => time.format(epochMs),
    day(epochMs) {
      const today = startOfDay(Date.now());
      const day = startOfDay(epochMs);
      if (day === today) return t('chat.today');
      if (day === startOfDay(today - DAY_MS / 2)) return t('chat.yesterday');
      return longDate.format(epochMs);
    },
    stamp(epochMs) {
      const today = startOfDay(Date.now());
      if (epochMs >= today) return time.format(epochMs);
      if (epochMs >= today - 6 * DAY_MS) return weekday.format(epochMs);
      return shortDate.format(epochMs);
    },
    full: (epochMs) => full.format(epochMs),
  };
}

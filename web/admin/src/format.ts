/* Numbers, durations and times in the console's language. */
import type { I18n } from './i18n';

type T = I18n['t'];

/** "42 s", "3 min 5 s", "1 h 20 min"; "—" without data. */
export function formatDuration(t: T, ms: number | null): string {
  if (ms === null) return '—';
  if (ms > 0 && ms < 1000) return t('time.underSecond');
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t('time.seconds', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest === 0 ? t('time.minutes', { n: minutes }) : t('time.minutesSeconds', { m: minutes, s: rest });
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? t('time.hours', { n: hours }) : t('time.hoursMinutes', { h: hours, m: rest });
}

export function formatNumber(locale: string, value: number): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function formatDateTime(locale: string, at: number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** "just now", "5 minutes ago", "yesterday"… relative to `now`. */
export function formatRelative(locale: string, at: number, now = Date.now()): string {
  const seconds = Math.round((at - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return format.format(0, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return format.format(Math.round(seconds / 86_400), 'day');
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(at);
}

/** "Mon 3" style short day label for a YYYY-MM-DD day. */
export function formatDay(locale: string, day: string, style: 'short' | 'long' = 'short'): string {
  const date = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(
    locale,
    style === 'short' ? { month: 'numeric', day: 'numeric', timeZone: 'UTC' } : { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' },
  ).format(date);
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function localDay(at = Date.now()): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Minutes to add to UTC to get local time (480 for UTC+8), as the reports route wants it. */
export function tzOffsetMinutes(at = Date.now()): number {
  return -new Date(at).getTimezoneOffset();
}

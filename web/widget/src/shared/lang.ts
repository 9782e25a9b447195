/** The languages the widget speaks. English is the fallback. */
export type Lang = 'en' | 'zh-CN';

/**
 * Picks the widget language from an explicit override (the script tag's `data-lang`) or the
 * browser's preferred languages, in order: the first one we speak wins.
 */
export function pickLanguage(preferred: readonly string[], override?: string | null): Lang {
  const candidates = override ? [override, ...preferred] : preferred;
  for (const tag of candidates) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Fills `{name}` placeholders. Values are plain text; the caller renders the result as text. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { CATALOGUES, type Locale } from './locales.js';
import { localeStore } from './localeStore.js';
import { makeTranslate, type Translate } from './translate.js';
import { makeFormatters, type Formatters } from './format.js';

export interface I18n {
  locale: Locale;
  t: Translate;
  format: Formatters;
  setLocale(locale: Locale): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const locale = useSyncExternalStore(localeStore.subscribe, localeStore.get);
  const value = useMemo<I18n>(() => {
    const t = makeTranslate(CATALOGUES[locale]);
    return { locale, t, format: makeFormatters(locale, t), setLocale: localeStore.set };
  }, [locale]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

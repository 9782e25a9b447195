import { useId } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { isLocale, LOCALE_NAMES, LOCALES } from '../../i18n/locales.js';
import { Icon } from './Icon.js';

/** The language switch; the choice is saved and overrides the browser's preference. */
export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { t, locale, setLocale } = useI18n();
  const id = useId();
  return (
    <div className={`language-select${compact ? ' language-select-compact' : ''}`}>
      <label htmlFor={id}>
        <Icon name="globe" size={16} />
        <span className={compact ? 'visually-hidden' : undefined}>{t('menu.language')}</span>
      </label>
      <select
        id={id}
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) setLocale(event.target.value);
        }}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}

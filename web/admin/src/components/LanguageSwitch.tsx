import { useId } from 'react';
import { LOCALES, LOCALE_NAMES, useI18n, type Locale } from '../i18n';
import { Icon } from './Icon';

export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  const id = useId();
  return (
    <div className={`language-switch${compact ? ' language-switch-compact' : ''}`}>
      <label htmlFor={id} className="visually-hidden">
        {t('common.language')}
      </label>
      <Icon name="language" size={16} className="language-switch-icon" />
      <select
        id={id}
        className="language-select"
        value={locale}
        onChange={(event) => setLocale(event.target.value as Locale)}
        data-testid="language-switch"
      >
        {LOCALES.map((value) => (
          <option key={value} value={value} lang={value}>
            {LOCALE_NAMES[value]}
          </option>
        ))}
      </select>
    </div>
  );
}

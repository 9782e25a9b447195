import { useI18n } from '../i18n';

export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="brand-mark">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M9 11h14M9 16h10M9 21h6" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
      <circle cx="22" cy="21" r="3" fill="#c7d2fe" />
    </svg>
  );
}

export function Brand() {
  const { t } = useI18n();
  return (
    <div className="brand">
      <BrandMark />
      <span className="brand-name">{t('app.product')}</span>
      <span className="brand-tag">{t('app.admin')}</span>
    </div>
  );
}

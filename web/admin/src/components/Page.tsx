/* Parts every console page uses: header with actions, loading and load-failure cards. */
import type { ReactNode } from 'react';
import { isApiError } from '../api';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Icon } from './Icon';
import { Spinner } from './Spinner';

/** `inlineActions`: a small action set (e.g. only Refresh) that stays beside the title on phones. */
export function PageHeader({ title, subtitle, actions, inlineActions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; inlineActions?: boolean }) {
  return (
    <header className={`page-header${inlineActions ? ' page-header-inline' : ''}`}>
      <div>
        <h1 className="page-title">{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

/** `spinning`: whether the icon turns into a spinner while refreshing (a page with its own loading card says no). */
export function RefreshButton({ refreshing, spinning = refreshing, onClick }: { refreshing: boolean; spinning?: boolean; onClick: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="btn btn-secondary" onClick={onClick} disabled={refreshing} aria-label={t('common.refresh')} title={t('common.refresh')}>
      {spinning ? <Spinner /> : <Icon name="refresh" size={16} />}
      <span className="collapse-on-phone">{t('common.refresh')}</span>
    </button>
  );
}

export function LoadingCard({ testId }: { testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="card card-padded center" data-testid={testId}>
      <Spinner size={24} label={t('common.loading')} />
    </div>
  );
}

export function LoadErrorCard({ title, error, onRetry, busy, testId }: { title: string; error: unknown; onRetry: () => void; busy: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="card empty-state" role="alert" data-testid={testId}>
      <Icon name="alert" size={28} />
      <h2 className="empty-title">{isApiError(error) && error.code === 'forbidden' ? t('forbidden.sectionTitle') : title}</h2>
      <p>{describeError(t, error)}</p>
      <button type="button" className="btn btn-primary" onClick={onRetry} disabled={busy}>
        {busy && <Spinner />}
        {t('common.retry')}
      </button>
    </div>
  );
}

export function EmptyState({ icon, title, children, testId }: { icon: Parameters<typeof Icon>[0]['name']; title: ReactNode; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state empty-state-inline" data-testid={testId}>
      <Icon name={icon} size={28} />
      <h2 className="empty-title">{title}</h2>
      {children}
    </div>
  );
}

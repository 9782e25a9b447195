/* Sites & widget: the list of sites (#/sites), and the editor (#/sites/new, #/sites/<id>). */
import type { Site } from '@switchboard/protocol';
import { Icon } from '../../components/Icon';
import { EmptyState, LoadErrorCard, LoadingCard, PageHeader, RefreshButton } from '../../components/Page';
import { useToast } from '../../components/Toast';
import { describeError } from '../../errors';
import { useI18n } from '../../i18n';
import { hrefFor } from '../../router';
import { serviceApi } from '../../serviceApi';
import { useResource } from '../../useResource';
import type { SectionProps } from '../types';
import { SiteEditor } from './SiteEditor';
import { textOn } from './siteForm';

function byName(a: Site, b: Site): number {
  return a.name.localeCompare(b.name) || a.createdAt - b.createdAt;
}

export default function SitesPage({ subpath }: SectionProps) {
  const { t, tp } = useI18n();
  const { notify } = useToast();
  const resource = useResource(async () => [...(await serviceApi.sites())].sort(byName), [], (error) => notify(describeError(t, error), 'error'));
  const [target] = subpath;

  if (target !== undefined) {
    if (resource.state.status !== 'ready') {
      return (
        <div className="page" data-testid="sites-page">
          {resource.state.status === 'loading' ? (
            <LoadingCard testId="sites-loading" />
          ) : (
            <LoadErrorCard title={t('sites.loadFailed')} error={resource.state.error} onRetry={resource.reload} busy={resource.refreshing} testId="sites-error" />
          )}
        </div>
      );
    }
    const site = target === 'new' ? null : (resource.state.data.find((candidate) => candidate.id === target) ?? undefined);
    if (site === undefined) {
      return (
        <div className="page" data-testid="sites-page">
          <div className="card">
            <EmptyState icon="search" title={t('sites.notFound')} testId="site-not-found">
              <a className="btn btn-secondary" href={hrefFor('sites')}>
                {t('sites.back')}
              </a>
            </EmptyState>
          </div>
        </div>
      );
    }
    return (
      <SiteEditor
        key={site?.id ?? 'new'}
        site={site}
        onSaved={(saved) => resource.setData((current) => [...current.filter((existing) => existing.id !== saved.id), saved].sort(byName))}
        onDeleted={(id) => resource.setData((current) => current.filter((existing) => existing.id !== id))}
      />
    );
  }

  const sites = resource.data ?? [];
  return (
    <div className="page" data-testid="sites-page">
      <PageHeader
        title={t('sites.title')}
        subtitle={t('sites.subtitle')}
        actions={
          <>
            <RefreshButton refreshing={resource.refreshing} onClick={resource.reload} />
            <a className="btn btn-primary" href={hrefFor('sites', 'new')} data-testid="new-site">
              <Icon name="plus" size={16} />
              {t('sites.new')}
            </a>
          </>
        }
      />
      {resource.state.status === 'loading' && <LoadingCard testId="sites-loading" />}
      {resource.state.status === 'error' && (
        <LoadErrorCard title={t('sites.loadFailed')} error={resource.state.error} onRetry={resource.reload} busy={resource.refreshing} testId="sites-error" />
      )}
      {resource.state.status === 'ready' &&
        (sites.length === 0 ? (
          <div className="card">
            <EmptyState icon="globe" title={t('sites.empty.title')} testId="sites-empty">
              <p>{t('sites.empty.body')}</p>
              <a className="btn btn-primary" href={hrefFor('sites', 'new')}>
                <Icon name="plus" size={16} />
                {t('sites.new')}
              </a>
            </EmptyState>
          </div>
        ) : (
          <>
            <p className="list-caption" aria-live="polite">
              {tp('sites.count', sites.length)}
            </p>
            <ul className="site-grid" data-testid="sites-list">
              {sites.map((site) => (
                <li key={site.id} className="card site-card" data-testid={`site-row-${site.siteKey}`} data-site-id={site.id}>
                  <div className="site-card-head">
                    <span className="site-swatch" style={{ background: site.color, color: textOn(site.color) }} aria-hidden="true">
                      <Icon name="chat" size={18} />
                    </span>
                    <div className="site-card-title">
                      <h2 className="site-card-name">
                        <a href={hrefFor('sites', site.id)} data-testid="edit-site">
                          {site.name}
                        </a>
                      </h2>
                      <code className="site-card-key">{site.siteKey}</code>
                    </div>
                  </div>
                  <dl className="site-card-facts">
                    <div>
                      <dt>{t('sites.field.origins')}</dt>
                      <dd>
                        {site.allowedOrigins.length === 0 ? (
                          <span className="text-warning">
                            <Icon name="alert" size={14} /> {t('sites.origins.none')}
                          </span>
                        ) : (
                          <ul className="chips">
                            {site.allowedOrigins.slice(0, 3).map((origin) => (
                              <li key={origin} className="chip chip-neutral chip-mono">
                                {origin === 'self' ? t('sites.origins.self') : origin}
                              </li>
                            ))}
                            {site.allowedOrigins.length > 3 && <li className="chip chip-neutral">+{site.allowedOrigins.length - 3}</li>}
                          </ul>
                        )}
                      </dd>
                    </div>
                    <div>
                      <dt>{t('sites.field.preChat')}</dt>
                      <dd>{site.preChatEnabled ? tp('sites.preChat.on', site.preChatFields.length) : t('sites.preChat.off')}</dd>
                    </div>
                  </dl>
                  <div className="site-card-actions">
                    <a className="btn btn-secondary btn-small" href={hrefFor('sites', site.id)} aria-label={t('sites.editNamed', { name: site.name })}>
                      <Icon name="edit" size={15} />
                      {t('sites.edit')}
                    </a>
                  </div>
                </li>
              ))}
            </ul>
          </>
        ))}
    </div>
  );
}

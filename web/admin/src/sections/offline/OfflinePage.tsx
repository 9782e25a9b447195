/*
 * Offline messages: what visitors left when nobody was on duty. Newest first; mark handled or not.
 * Everything here was typed by a visitor: it is rendered as text, and a page address becomes a
 * link only when it is http(s).
 */
import { useMemo, useState } from 'react';
import type { OfflineMessage } from '@switchboard/protocol';
import { api } from '../../api';
import { useMe } from '../../auth';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { EmptyState, LoadErrorCard, LoadingCard, PageHeader, RefreshButton } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toast';
import { TitledCard } from '../../components/TitledCard';
import { describeError } from '../../errors';
import { formatDateTime, formatRelative } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { serviceApi, type OfflineStatus } from '../../serviceApi';
import { useResource } from '../../useResource';
import type { SectionProps } from '../types';

const PAGE_SIZE = 50;
const FILTERS: ReadonlyArray<{ status: OfflineStatus; label: MessageKey }> = [
  { status: 'open', label: 'offline.filter.open' },
  { status: 'handled', label: 'offline.filter.handled' },
  { status: 'all', label: 'offline.filter.all' },
];

/** The address as a link target, only for http(s); anything else stays plain text. */
function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export default function OfflinePage(_props: SectionProps) {
  const { t, tp, locale } = useI18n();
  const { notify } = useToast();
  const me = useMe();
  const [status, setStatus] = useState<OfflineStatus>('open');
  const [loadingMore, setLoadingMore] = useState(false);
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const resource = useResource(
    async () => {
      // Names for sites, departments and handlers; the inbox still works without them.
      const [page, sites, departments, users] = await Promise.all([
        serviceApi.offline(status, undefined, PAGE_SIZE),
        serviceApi.sites().catch(() => []),
        serviceApi.departments().catch(() => []),
        me.permissions.includes('admin.users') ? api.listUsers().catch(() => []) : Promise.resolve([]),
      ]);
      return {
        messages: page.messages,
        hasMore: page.hasMore,
        siteNames: new Map(sites.map((site) => [site.id, site.name])),
        departmentNames: new Map(departments.map((department) => [department.id, department.name])),
        userNames: new Map(users.map((user) => [user.id, user.displayName])),
      };
    },
    [status],
    (error) => notify(describeError(t, error), 'error'),
  );
  const data = resource.data;
  const messages = useMemo(() => data?.messages ?? [], [data]);

  const loadMore = async () => {
    const last = messages[messages.length - 1];
    if (!last || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await serviceApi.offline(status, last.createdAt, PAGE_SIZE);
      resource.setData((current) => {
        const known = new Set(current.messages.map((message) => message.id));
        return { ...current, messages: [...current.messages, ...page.messages.filter((message) => !known.has(message.id))], hasMore: page.hasMore };
      });
    } catch (error) {
      notify(describeError(t, error), 'error');
    } finally {
      setLoadingMore(false);
    }
  };

  const toggle = async (message: OfflineMessage) => {
    if (pending[message.id]) return;
    setPending((current) => ({ ...current, [message.id]: true }));
    try {
      const updated = await serviceApi.setOfflineHandled(message.id, message.handledAt === null);
      // The row stays until the next refresh, so "Mark unhandled" is right there to undo.
      resource.setData((current) => ({ ...current, messages: current.messages.map((existing) => (existing.id === updated.id ? updated : existing)) }));
      notify(updated.handledAt === null ? t('offline.toast.reopened', { name: updated.name }) : t('offline.toast.handled', { name: updated.name }));
    } catch (error) {
      notify(describeError(t, error), 'error');
    } finally {
      setPending(({ [message.id]: _removed, ...rest }) => rest);
    }
  };

  const handlerName = (message: OfflineMessage): string | null => {
    if (!message.handledBy) return null;
    if (message.handledBy === me.user.id) return t('offline.byYou');
    return data?.userNames.get(message.handledBy) ?? null;
  };

  return (
    <div className="page page-medium" data-testid="offline-page">
      <PageHeader title={t('offline.title')} subtitle={t('offline.subtitle')} inlineActions actions={<RefreshButton refreshing={resource.refreshing} onClick={resource.reload} />} />

      <div className="toolbar">
        <div className="segmented" role="radiogroup" aria-label={t('offline.filter.label')}>
          {FILTERS.map((filter) => (
            <button
              key={filter.status}
              type="button"
              role="radio"
              aria-checked={status === filter.status}
              className={`segmented-option${status === filter.status ? ' segmented-option-active' : ''}`}
              tabIndex={status === filter.status ? 0 : -1}
              onClick={() => setStatus(filter.status)}
              onKeyDown={(event) => {
                if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
                event.preventDefault();
                const index = FILTERS.findIndex((candidate) => candidate.status === status);
                const next = FILTERS[(index + (event.key === 'ArrowRight' ? 1 : FILTERS.length - 1)) % FILTERS.length]!;
                setStatus(next.status);
                const group = event.currentTarget.parentElement;
                requestAnimationFrame(() => group?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus());
              }}
              data-testid={`offline-filter-${filter.status}`}
            >
              {t(filter.label)}
            </button>
          ))}
        </div>
      </div>

      {resource.state.status === 'loading' && <LoadingCard testId="offline-loading" />}
      {resource.state.status === 'error' && (
        <LoadErrorCard title={t('offline.loadFailed')} error={resource.state.error} onRetry={resource.reload} busy={resource.refreshing} testId="offline-error" />
      )}
      {resource.state.status === 'ready' && data && (
        <TitledCard titleId="offline-caption" title={data.hasMore ? tp('offline.countMore', messages.length) : tp('offline.count', messages.length)} live>
          {messages.length === 0 ? (
            <EmptyState icon="inbox" title={status === 'open' ? t('offline.empty.open') : t('offline.empty.other')} testId="offline-empty">
              <p>{status === 'open' ? t('offline.empty.openBody') : t('offline.empty.otherBody')}</p>
            </EmptyState>
          ) : (
            <ul className="inbox" data-testid="offline-list">
              {messages.map((message) => {
                const handled = message.handledAt !== null;
                const href = message.pageUrl ? safeHref(message.pageUrl) : null;
                const site = data.siteNames.get(message.siteId);
                const department = message.departmentId ? data.departmentNames.get(message.departmentId) : undefined;
                const handler = handlerName(message);
                const nameId = `offline-${message.id}-name`;
                const busy = pending[message.id] === true;
                return (
                  <li key={message.id} className={`inbox-item${handled ? ' inbox-item-handled' : ''}`} data-testid="offline-row" data-message-id={message.id} data-handled={handled ? 'true' : 'false'}>
                    <Avatar name={message.name} seed={message.email || message.id} size={38} />
                    <article className="inbox-content" aria-labelledby={nameId}>
                      <header className="inbox-head">
                        <div className="inbox-from">
                          <span id={nameId} className="inbox-name" data-testid="offline-name">
                            {message.name}
                          </span>
                          {EMAIL.test(message.email) ? (
                            <a className="inbox-email" href={`mailto:${message.email}`} data-testid="offline-email">
                              {message.email}
                            </a>
                          ) : (
                            <span className="inbox-email" data-testid="offline-email">
                              {message.email}
                            </span>
                          )}
                        </div>
                        <time className="inbox-time" dateTime={new Date(message.createdAt).toISOString()} title={formatDateTime(locale, message.createdAt)}>
                          {formatRelative(locale, message.createdAt)}
                        </time>
                      </header>
                      <p className="inbox-message" data-testid="offline-message">
                        {message.message}
                      </p>
                      <footer className="inbox-meta">
                        {site && (
                          <span className="meta-item">
                            <Icon name="globe" size={14} />
                            {site}
                          </span>
                        )}
                        <span className="meta-item" data-testid="offline-department">
                          <Icon name="building" size={14} />
                          {department ?? t('offline.noDepartment')}
                        </span>
                        {message.pageUrl && (
                          <span className="meta-item meta-page">
                            <Icon name="link" size={14} />
                            {href ? (
                              <a href={href} target="_blank" rel="noopener noreferrer nofollow" title={message.pageUrl} data-testid="offline-page-url">
                                {message.pageUrl}
                              </a>
                            ) : (
                              <span title={message.pageUrl} data-testid="offline-page-url">
                                {message.pageUrl}
                              </span>
                            )}
                          </span>
                        )}
                        {handled && (
                          <span className="meta-item meta-handled">
                            <Icon name="check" size={14} />
                            {handler
                              ? t('offline.handledBy', { name: handler, time: formatRelative(locale, message.handledAt!) })
                              : t('offline.handledAt', { time: formatRelative(locale, message.handledAt!) })}
                          </span>
                        )}
                      </footer>
                    </article>
                    <div className="inbox-actions">
                      {EMAIL.test(message.email) && (
                        <a className="btn btn-ghost btn-small" href={`mailto:${message.email}`} aria-describedby={nameId}>
                          <Icon name="reply" size={15} />
                          <span className="collapse-on-phone">{t('offline.reply')}</span>
                        </a>
                      )}
                      <button
                        type="button"
                        className={`btn btn-small ${handled ? 'btn-secondary' : 'btn-primary'}`}
                        onClick={() => void toggle(message)}
                        disabled={busy}
                        aria-busy={busy}
                        aria-describedby={nameId}
                        data-testid="toggle-handled"
                      >
                        {busy ? <Spinner size={14} /> : <Icon name={handled ? 'refresh' : 'check'} size={15} />}
                        {handled ? t('offline.markOpen') : t('offline.markHandled')}
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          {data.hasMore && (
            <div className="card-footer">
              <button type="button" className="btn btn-secondary" onClick={() => void loadMore()} disabled={loadingMore} data-testid="offline-load-more">
                {loadingMore && <Spinner />}
                {t('offline.loadMore')}
              </button>
            </div>
          )}
        </TitledCard>
      )}
    </div>
  );
}

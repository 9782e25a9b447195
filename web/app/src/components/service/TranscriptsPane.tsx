import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ChatSummary } from '@switchboard/protocol';
import { useGoTo } from '../../hooks/useHashRoute.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { describeFailure } from '../../lib/errors.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { visitorLabel } from '../../state/serviceSelectors.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Avatar } from '../common/Avatar.js';
import { Icon } from '../common/Icon.js';
import { messageText, oneLine, visitorAvatarName } from './visitorText.js';

const PAGE = 30;

type Results = { status: 'idle' | 'loading' | 'ready' | 'error'; chats: ChatSummary[]; hasMore: boolean; error: string | null; more: boolean };

/** Search past visitor chats (agents): by visitor name, email or message text; newest first. */
export function TranscriptsPane() {
  const { t, format } = useI18n();
  const desk = useServiceActions();
  const goTo = useGoTo();
  const agent = useAppState((state) => state.permissions.includes('cs.agent') || state.permissions.includes('admin.service'));
  const users = useAppState((state) => state.users);
  const [query, setQuery] = useState('');
  const [includeOpen, setIncludeOpen] = useState(false);
  const [results, setResults] = useState<Results>({ status: 'idle', chats: [], hasMore: false, error: null, more: false });
  const searchId = useId();
  const request = useRef(0);

  const search = useCallback(
    (q: string, all: boolean, before?: number) => {
      const id = ++request.current;
      setResults((current) => ({ ...current, status: 'loading', more: before !== undefined }));
      desk.api.transcripts({ q, status: all ? 'all' : 'closed', limit: PAGE, ...(before !== undefined ? { before } : {}) }).then(
        (page) => {
          if (id !== request.current) return;
          setResults((current) => ({
            status: 'ready',
            chats: before !== undefined ? [...current.chats, ...page.chats] : page.chats,
            hasMore: page.hasMore,
            error: null,
            more: false,
          }));
        },
        (error: unknown) => {
          if (id !== request.current) return;
          setResults((current) => ({ ...current, status: 'error', error: describeFailure(t, error), more: false }));
        },
      );
    },
    [desk, t],
  );

  // Search as the agent types (debounced), and at once when the filter changes.
  useEffect(() => {
    if (!agent) return;
    const timer = window.setTimeout(() => search(query, includeOpen), query ? 250 : 0);
    return () => window.clearTimeout(timer);
  }, [agent, query, includeOpen, search]);

  const last = results.chats.at(-1);
  return (
    <section className="chat transcripts" aria-labelledby={`${searchId}-title`} data-testid="transcripts">
      <header className="chat-header">
        <button type="button" className="icon-button back-button" onClick={() => goTo({ kind: 'home' })} aria-label={t('chat.back')} title={t('chat.back')}>
          <Icon name="back" size={20} />
        </button>
        <span className="header-icon" aria-hidden="true">
          <Icon name="archive" size={20} />
        </span>
        <div className="chat-title">
          <h1 id={`${searchId}-title`}>{t('transcripts.title')}</h1>
          <p className="chat-subtitle">{t('transcripts.subtitle')}</p>
        </div>
      </header>
      {!agent ? (
        <p className="history-note">{t('visitor.notAvailable')}</p>
      ) : (
        <div className="transcripts-body">
          <form
            className="transcripts-search"
            role="search"
            onSubmit={(event) => {
              event.preventDefault();
              search(query, includeOpen);
            }}
          >
            <div className="transcripts-field">
              <Icon name="search" size={16} />
              <input
                type="search"
                id={searchId}
                className="input"
                aria-label={t('transcripts.search')}
                placeholder={t('transcripts.placeholder')}
                value={query}
                maxLength={200}
                onChange={(event) => setQuery(event.target.value)}
              />
            </div>
            <label className="checkbox-row">
              <input type="checkbox" checked={includeOpen} onChange={(event) => setIncludeOpen(event.target.checked)} />
              {t('transcripts.includeOpen')}
            </label>
          </form>
          <div className="transcripts-results" aria-live="polite" aria-busy={results.status === 'loading'}>
            {results.status === 'error' ? (
              <p className="form-error" role="alert">
                {results.error}
              </p>
            ) : null}
            {results.status === 'ready' && results.chats.length === 0 ? <p className="history-note">{query.trim() ? t('transcripts.none', { query: query.trim() }) : t('transcripts.empty')}</p> : null}
            <ul className="transcript-list">
              {results.chats.map((chat) => {
                const name = visitorLabel(chat.visitor, t);
                const assignee = chat.assigneeId ? users.get(chat.assigneeId)?.displayName : undefined;
                return (
                  <li key={chat.id}>
                    <a href={`#/visitors/${chat.id}`} className="transcript-item" data-testid={`transcript-${chat.id}`} aria-label={name}>
                      <Avatar id={chat.visitor.id} name={visitorAvatarName(chat.visitor, t)} />
                      <span className="transcript-text">
                        <span className="transcript-line">
                          <span className="transcript-name">{name}</span>
                          {chat.visitor.email ? <span className="transcript-email">{chat.visitor.email}</span> : null}
                          <time dateTime={new Date(chat.createdAt).toISOString()}>{format.full(chat.createdAt)}</time>
                        </span>
                        <span className="transcript-preview">{chat.lastMessage ? oneLine(messageText(chat.lastMessage, t), 160) : t('conversation.noMessages')}</span>
                        <span className="transcript-meta">
                          <span className={`visitor-tag visitor-tag-${chat.status}`}>{t(`visitors.status.${chat.status}`)}</span>
                          {assignee ? <span>{t('transcripts.with', { name: assignee })}</span> : null}
                          {chat.visitor.page ? <span className="transcript-page">{oneLine(chat.visitor.page.title || chat.visitor.page.url, 80)}</span> : null}
                        </span>
                      </span>
                    </a>
                  </li>
                );
              })}
            </ul>
            {results.status === 'loading' ? (
              <p className="history-note" role="status">
                <span className="spinner" aria-hidden="true" /> {t('app.loading')}
              </p>
            ) : null}
            {results.status === 'ready' && results.hasMore && last ? (
              <div className="row-center">
                <button type="button" className="button" onClick={() => search(query, includeOpen, last.createdAt)}>
                  {t('transcripts.more')}
                </button>
              </div>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}

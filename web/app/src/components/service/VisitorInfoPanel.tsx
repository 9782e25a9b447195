import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ChatSummary } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { linkify } from '../../lib/linkify.js';
import { describeUserAgent } from '../../lib/userAgent.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Icon, type IconName } from '../common/Icon.js';
import { messageText, oneLine } from './visitorText.js';

/** A URL the visitor's browser reported, as text; a link only when it is http(s) (never javascript: and the like). */
export function UrlText({ url }: { url: string }) {
  const parts = linkify(url);
  const whole = parts.length === 1 && parts[0]?.kind === 'link' ? parts[0] : null;
  if (whole) {
    return (
      <a href={whole.href} target="_blank" rel="noopener noreferrer nofollow" className="info-url" title={url}>
        {url}
      </a>
    );
  }
  return (
    <span className="info-url" title={url}>
      {url}
    </span>
  );
}

function Row({ icon, label, children, testId }: { icon: IconName; label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="info-row" data-testid={testId}>
      <dt>
        <Icon name={icon} size={14} />
        {label}
      </dt>
      <dd>{children}</dd>
    </div>
  );
}

/** "preferred_time" → "Preferred time" (pre-chat field keys, when no label is known). */
function humanize(key: string): string {
  const words = key.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function languageName(tag: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

type Earlier = { status: 'loading' } | { status: 'error' } | { status: 'ready'; chats: ChatSummary[] };

/** What the agent knows about the visitor: contact, page, browser, language, pre-chat answers, earlier chats. */
export function VisitorInfoPanel({ chat, id }: { chat: ChatSummary; id: string }) {
  const { t, format, locale } = useI18n();
  const desk = useServiceActions();
  const users = useAppState((state) => state.users);
  const { visitor } = chat;
  const [earlier, setEarlier] = useState<Earlier>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    desk.api.visitorChats(visitor.id).then(
      (chats) => {
        if (!cancelled) setEarlier({ status: 'ready', chats: chats.filter((other) => other.id !== chat.id).sort((a, b) => b.createdAt - a.createdAt) });
      },
      () => {
        if (!cancelled) setEarlier({ status: 'error' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [desk, visitor.id, chat.id]);

  const browser = useMemo(() => describeUserAgent(visitor.userAgent, (name, os) => t('visitor.info.browserOn', { browser: name, os })), [visitor.userAgent, t]);
  const fields = Object.entries(visitor.fields).filter(([, value]) => value.trim() !== '');
  const agents = chat.agentIds.map((agentId) => users.get(agentId)?.displayName ?? t('conversation.unknownUser'));
  const none = <span className="muted">{t('visitor.info.none')}</span>;

  return (
    <aside className="visitor-info" id={id} aria-label={t('visitor.info.title')} data-testid="visitor-info">
      <h2 className="visitor-info-heading">{t('visitor.info.title')}</h2>
      <dl className="info-list">
        <Row icon="user" label={t('visitor.info.name')} testId="visitor-info-name">
          {visitor.name?.trim() ? <span>{visitor.name}</span> : none}
        </Row>
        <Row icon="mail" label={t('visitor.info.email')} testId="visitor-info-email">
          {visitor.email ? <span className="info-url">{visitor.email}</span> : none}
        </Row>
        <Row icon="link" label={t('visitor.info.page')} testId="visitor-info-page">
          {visitor.page ? (
            <>
              {visitor.page.title.trim() ? <span className="info-page-title">{visitor.page.title}</span> : null}
              <UrlText url={visitor.page.url} />
            </>
          ) : (
            none
          )}
        </Row>
        <Row icon="external" label={t('visitor.info.referrer')} testId="visitor-info-referrer">
          {visitor.page?.referrer ? <UrlText url={visitor.page.referrer} /> : <span className="muted">{t('visitor.info.direct')}</span>}
        </Row>
        <Row icon="monitor" label={t('visitor.info.browser')} testId="visitor-info-browser">
          {browser ? <span title={visitor.userAgent ?? undefined}>{browser}</span> : visitor.userAgent ? <span className="info-url">{oneLine(visitor.userAgent, 200)}</span> : none}
        </Row>
        <Row icon="globe" label={t('visitor.info.language')} testId="visitor-info-language">
          {visitor.language ? <span>{languageName(visitor.language, locale)}</span> : none}
        </Row>
        {fields.map(([key, value]) => (
          <Row key={key} icon="info" label={humanize(key)} testId={`visitor-info-field-${key}`}>
            <span className="info-field-value">{value}</span>
          </Row>
        ))}
        <Row icon="clock" label={t('visitor.info.started')}>
          <time dateTime={new Date(chat.createdAt).toISOString()}>{format.full(chat.createdAt)}</time>
        </Row>
        <Row icon="headset" label={t('visitor.info.agents')}>
          {agents.length > 0 ? <span>{agents.join(', ')}</span> : none}
        </Row>
      </dl>

      <h3 className="visitor-info-subheading">{t('visitor.info.earlier')}</h3>
      <div data-testid="visitor-earlier">
        {earlier.status === 'loading' ? (
          <p className="muted info-note">{t('app.loading')}</p>
        ) : earlier.status === 'error' ? (
          <p className="muted info-note">{t('visitor.info.earlierFailed')}</p>
        ) : earlier.chats.length === 0 ? (
          <p className="muted info-note">{t('visitor.info.noEarlier')}</p>
        ) : (
          <ul className="earlier-list">
            {earlier.chats.map((other) => (
              <li key={other.id}>
                <a href={`#/visitors/${other.id}`} className="earlier-item" data-testid={`earlier-chat-${other.id}`}>
                  <span className="earlier-line">
                    <time dateTime={new Date(other.createdAt).toISOString()}>{format.full(other.createdAt)}</time>
                    <span className={`visitor-tag visitor-tag-${other.status}`}>{t(`visitors.status.${other.status}`)}</span>
                  </span>
                  <span className="earlier-preview">{other.lastMessage ? oneLine(messageText(other.lastMessage, t), 90) : t('conversation.noMessages')}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}

import { useId, type AnchorHTMLAttributes, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';

interface ChatLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'className' | 'title' | 'children'> {
  /** Classes beside `conversation-item` and the active / unread ones. */
  className?: string;
  /** The link's accessible name. */
  title: string;
  active: boolean;
  unread: number;
  /** When it last moved (epoch ms). */
  stamp: number;
  avatar: ReactNode;
  /** The second line (preview and tags), before the unread badge; it describes the link. */
  children: ReactNode;
}

/** One row of a sidebar chat list: a link named by its title, with time, preview and unread badge. */
export function ChatLink({ className, title, active, unread, stamp, avatar, children, ...link }: ChatLinkProps) {
  const { t, format } = useI18n();
  const describedBy = useId();
  return (
    <li>
      <a
        {...link}
        className={`conversation-item${className ? ` ${className}` : ''}${active ? ' is-active' : ''}${unread > 0 ? ' has-unread' : ''}`}
        data-unread={unread}
        aria-label={title}
        aria-describedby={describedBy}
        aria-current={active ? 'page' : undefined}
      >
        {avatar}
        <span className="conversation-text">
          <span className="conversation-line">
            <span className="conversation-title">{title}</span>
            <time className="conversation-time" dateTime={new Date(stamp).toISOString()}>
              {format.stamp(stamp)}
            </time>
          </span>
          <span className="conversation-line" id={describedBy}>
            {children}
            {unread > 0 ? (
              <span className="badge" data-testid="unread-badge" aria-label={t('sidebar.unread', { count: unread })}>
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
          </span>
        </span>
      </a>
    </li>
  );
}

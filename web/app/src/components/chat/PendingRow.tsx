import { memo } from 'react';
import type { User } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import type { OutgoingMessage } from '../../state/types.js';
import { Avatar } from '../common/Avatar.js';
import { MessageText } from './MessageText.js';

/** An own message not acknowledged yet ("Sending…") or refused ("Not sent" with Retry / Discard). */
export const PendingRow = memo(function PendingRow({ item, me, showHeader }: { item: OutgoingMessage; me: User; showHeader: boolean }) {
  const { t, format } = useI18n();
  const actions = useChatActions();
  const failed = item.status === 'failed';
  return (
    <li
      className={`message-row is-own is-pending${failed ? ' is-failed' : ''}${showHeader ? '' : ' is-continued'}`}
      data-testid="message-pending"
      data-status={item.status}
      aria-busy={!failed}
    >
      <div className="message-gutter">{showHeader ? <Avatar id={me.id} name={me.displayName} /> : null}</div>
      <div className="message-main">
        {showHeader ? (
          <div className="message-meta">
            <span className="message-sender">{me.displayName}</span>
            <span className="message-time">{format.time(item.createdAt)}</span>
          </div>
        ) : null}
        <div className="message-body">
          <MessageText text={item.body} />
        </div>
        {failed ? (
          <div className="message-status message-status-failed" role="alert" title={item.error ?? undefined}>
            <span>{t('chat.failed')}</span>
            <button type="button" className="link-button" onClick={() => actions.retry(item.conversationId, item.clientId)}>
              {t('chat.retrySend')}
            </button>
            <button type="button" className="link-button" onClick={() => actions.discard(item.conversationId, item.clientId)}>
              {t('chat.discard')}
            </button>
          </div>
        ) : (
          <div className="message-status" data-testid="sending">
            {t('chat.sending')}
          </div>
        )}
      </div>
    </li>
  );
});

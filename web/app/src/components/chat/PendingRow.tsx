import { memo } from 'react';
import type { User } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import type { OutgoingMessage } from '../../state/types.js';
import { MessageFrame, OutgoingStatus } from '../history/MessageFrame.js';
import { MessageText } from './MessageText.js';

/** An own message not acknowledged yet ("Sending…") or refused ("Not sent" with Retry / Discard). */
export const PendingRow = memo(function PendingRow({ item, me, showHeader }: { item: OutgoingMessage; me: User; showHeader: boolean }) {
  const { format } = useI18n();
  const actions = useChatActions();
  const failed = item.status === 'failed';
  return (
    <MessageFrame
      className={`message-row is-own is-pending${failed ? ' is-failed' : ''}${showHeader ? '' : ' is-continued'}`}
      data-testid="message-pending"
      data-status={item.status}
      aria-busy={!failed}
      header={showHeader ? 'full' : 'none'}
      avatar={{ id: me.id, name: me.displayName }}
      sender={me.displayName}
      time={format.time(item.createdAt)}
    >
      <div className="message-body">
        <MessageText text={item.body} />
      </div>
      <OutgoingStatus
        status={item.status}
        error={item.error}
        onRetry={() => actions.retry(item.conversationId, item.clientId)}
        onDiscard={() => actions.discard(item.conversationId, item.clientId)}
      />
    </MessageFrame>
  );
});

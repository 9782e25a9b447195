import { useCallback, useMemo, type KeyboardEvent } from 'react';
import type { Conversation } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { firstMessage, lastMessage } from '../../state/timeline.js';
import { useAppState } from '../../state/StoreProvider.js';
import type { OutgoingMessage, Timeline } from '../../state/types.js';
import { dayKey } from '../../i18n/format.js';
import { HistoryPane } from '../history/HistoryPane.js';
import { DaySeparator, GROUP_GAP_MS } from '../history/MessageFrame.js';
import { useRowNavigation } from '../history/useRowNavigation.js';
import { useStickyScroll } from '../history/useStickyScroll.js';
import { MessageChunk } from './MessageChunk.js';
import { PendingRow } from './PendingRow.js';
import { useChatUi } from './chatUi.js';
import { receiptFor } from './receipt.js';

/** Older messages load when the top is this close. */
const LOAD_OLDER_PX = 600;

const NO_OUTGOING: readonly OutgoingMessage[] = [];

interface MessageListProps {
  conversation: Conversation;
  timeline: Timeline;
  editingId: string | null;
}

/**
 * The scrolling message history. Renders the loaded chunks (older pages are fetched on scroll-up and
 * the view stays put), then own unacknowledged messages. Sticks to the bottom while the user is
 * there; otherwise offers a "jump to latest" button when new messages arrive.
 */
export function MessageList({ conversation, timeline, editingId }: MessageListProps) {
  const { t } = useI18n();
  const actions = useChatActions();
  const ui = useChatUi();
  const me = useAppState((state) => state.me);
  const users = useAppState((state) => state.users);
  const outgoing = useAppState((state) => state.outgoing.get(conversation.id) ?? NO_OUTGOING);

  const { chunks, hasOlder, olderStatus, status } = timeline;
  const last = lastMessage(timeline);
  const meId = me?.id;

  const receipt = useMemo(() => receiptFor(timeline, conversation, meId, users, t), [timeline, conversation, meId, users, t]);

  const canLoadOlder = status === 'ready' && hasOlder && olderStatus === 'idle';
  const loadOlder = useCallback(() => {
    if (canLoadOlder) actions.loadOlder(conversation.id);
  }, [actions, canLoadOlder, conversation.id]);

  const scroll = useStickyScroll({
    firstSeq: firstMessage(timeline)?.seq,
    lastSeq: last?.seq,
    newestIsOwn: last !== undefined && last.senderId === meId,
    pendingCount: outgoing.length,
    content: [chunks, outgoing, receipt],
    loadOlderPx: LOAD_OLDER_PX,
    loadOlder,
  });

  /** Enter (or the context-menu key) opens an own message's actions menu, Escape returns to the composer. */
  const onOtherKey = (event: KeyboardEvent<HTMLDivElement>, row: HTMLElement | null): void => {
    if (!row) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      ui.focusComposer();
    } else if ((event.key === 'Enter' || event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) && event.target === row) {
      const trigger = row.querySelector<HTMLButtonElement>('[aria-haspopup="menu"]');
      if (trigger) {
        event.preventDefault();
        trigger.click();
      }
    }
  };
  const onKeyDown = useRowNavigation({
    contentRef: scroll.contentRef,
    rowSelector: '[data-testid="message"]',
    ignoreSelector: '[role="menu"], textarea, input, a',
    onOtherKey,
  });

  // Which chunk holds the message being edited / carrying the receipt (others get null and skip rendering).
  const chunkOf = (seq: number | undefined): number => {
    if (seq === undefined) return -1;
    return chunks.findIndex((chunk) => {
      const first = chunk.items[0];
      const lastItem = chunk.items.at(-1);
      return first !== undefined && lastItem !== undefined && first.seq <= seq && seq <= lastItem.seq;
    });
  };
  const editingSeq = useMemo(() => {
    if (!editingId) return undefined;
    for (const chunk of chunks) {
      const found = chunk.items.find((message) => message.id === editingId);
      if (found) return found.seq;
    }
    return undefined;
  }, [chunks, editingId]);
  const editingChunk = chunkOf(editingSeq);
  const receiptChunk = chunkOf(receipt?.seq);

  const lastLoaded = status === 'ready' ? last : undefined;
  const firstOutgoing = outgoing[0];
  return (
    <HistoryPane
      label={t('chat.messages')}
      beginningNote={t('chat.beginning')}
      status={status}
      hasOlder={hasOlder}
      olderStatus={olderStatus}
      loadFailed={status === 'error' && chunks.length === 0}
      loading={status !== 'ready' && status !== 'error'}
      onRetryOlder={() => actions.loadOlder(conversation.id)}
      onRetryLoad={() => actions.ensureLoaded(conversation.id)}
      scroll={scroll}
      onKeyDown={onKeyDown}
    >
      {status === 'ready'
        ? chunks.map((chunk, index) => (
            <MessageChunk
              key={chunk.key}
              items={chunk.items}
              before={index > 0 ? chunks[index - 1]?.items.at(-1) : undefined}
              meId={meId}
              users={users}
              editingId={index === editingChunk ? editingId : null}
              receiptSeq={index === receiptChunk && receipt ? receipt.seq : null}
              receipt={index === receiptChunk && receipt ? receipt.receipt : null}
            />
          ))
        : null}
      {firstOutgoing && (!lastLoaded || dayKey(lastLoaded.createdAt) !== dayKey(firstOutgoing.createdAt)) ? (
        <DaySeparator at={firstOutgoing.createdAt} />
      ) : null}
      {me
        ? outgoing.map((item, index) => {
            const previous = index > 0 ? outgoing[index - 1] : undefined;
            const showHeader = previous === undefined && (lastLoaded?.senderId !== me.id || item.createdAt - lastLoaded.createdAt > GROUP_GAP_MS);
            return <PendingRow key={item.clientId} item={item} me={me} showHeader={showHeader} />;
          })
        : null}
    </HistoryPane>
  );
}

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Conversation } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { firstMessage, lastMessage } from '../../state/timeline.js';
import { useAppState } from '../../state/StoreProvider.js';
import type { OutgoingMessage, Timeline } from '../../state/types.js';
import { Icon } from '../common/Icon.js';
import { dayKey } from '../../i18n/format.js';
import { MessageChunk } from './MessageChunk.js';
import { DaySeparator } from './MessageRow.js';
import { PendingRow } from './PendingRow.js';
import { useChatUi } from './chatUi.js';
import { receiptFor } from './receipt.js';

/** Within this many px of the bottom, the list follows new messages. */
const STICK_PX = 80;
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
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLOListElement>(null);
  const stickRef = useRef(true);
  const fromBottomRef = useRef(0);
  const firstSeqRef = useRef<number | undefined>(undefined);
  const lastSeqRef = useRef<number | undefined>(undefined);
  const outgoingCountRef = useRef(outgoing.length);
  const [showJump, setShowJump] = useState(false);

  const { chunks, hasOlder, olderStatus, status } = timeline;
  const firstSeq = firstMessage(timeline)?.seq;
  const last = lastMessage(timeline);
  const meId = me?.id;

  const receipt = useMemo(() => receiptFor(timeline, conversation, meId, users, t), [timeline, conversation, meId, users, t]);

  const canLoadOlder = status === 'ready' && hasOlder && olderStatus === 'idle';
  const loadOlder = useCallback(() => {
    if (canLoadOlder) actions.loadOlder(conversation.id);
  }, [actions, canLoadOlder, conversation.id]);

  const measure = useCallback(() => {
    const el = scrollerRef.current;
    if (!el) return;
    fromBottomRef.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    stickRef.current = fromBottomRef.current <= STICK_PX;
    if (stickRef.current) setShowJump(false);
  }, []);

  const scrollToBottom = useCallback(() => {
    const el = scrollerRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    fromBottomRef.current = 0;
    stickRef.current = true;
    setShowJump(false);
  }, []);

  // After each change of content: keep the view where the user left it.
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const prependedOlder = firstSeq !== undefined && firstSeqRef.current !== undefined && firstSeq < firstSeqRef.current;
    const grewAtBottom = last !== undefined && (lastSeqRef.current === undefined || last.seq > lastSeqRef.current);
    const sentOwn = outgoing.length > outgoingCountRef.current;
    if (prependedOlder && !stickRef.current) {
      // Older messages went in above: keep the same distance from the bottom, so nothing moves.
      el.scrollTop = el.scrollHeight - el.clientHeight - fromBottomRef.current;
    } else if (stickRef.current || sentOwn || (grewAtBottom && last?.senderId === meId && lastSeqRef.current !== undefined)) {
      scrollToBottom();
    } else if (grewAtBottom && lastSeqRef.current !== undefined) {
      setShowJump(true);
    }
    firstSeqRef.current = firstSeq;
    lastSeqRef.current = last?.seq;
    outgoingCountRef.current = outgoing.length;
    fromBottomRef.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    // A short history that does not fill the pane: fetch more until it does (or there is no more).
    if (el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) loadOlder();
  }, [chunks, outgoing, receipt, firstSeq, last, meId, scrollToBottom, loadOlder]);

  // Content that changes height by itself (an edit, a wrapped line after a resize) keeps the bottom in view.
  useEffect(() => {
    const el = scrollerRef.current;
    const content = contentRef.current;
    if (!el || !content || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stickRef.current) el.scrollTop = el.scrollHeight;
      else el.scrollTop = el.scrollHeight - el.clientHeight - fromBottomRef.current;
    });
    observer.observe(content);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  /**
   * Keyboard navigation inside the log (one Tab stop for the whole history): arrows move between
   * messages, Home/End jump, Enter (or the context-menu key) opens an own message's actions menu,
   * Escape returns to the composer.
   */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = event.target as HTMLElement;
    if (target.closest('[role="menu"], textarea, input, a')) return;
    const rows = [...(contentRef.current?.querySelectorAll<HTMLElement>('[data-testid="message"]') ?? [])];
    if (rows.length === 0) return;
    const row = target.closest<HTMLElement>('[data-testid="message"]');
    const index = row ? rows.indexOf(row) : rows.length;
    const focusRow = (at: number): void => {
      event.preventDefault();
      rows[Math.max(0, Math.min(rows.length - 1, at))]?.focus();
    };
    switch (event.key) {
      case 'ArrowUp':
        focusRow(index - 1);
        break;
      case 'ArrowDown':
        if (row) focusRow(index + 1);
        break;
      case 'Home':
        if (row) focusRow(0);
        break;
      case 'End':
        if (row) focusRow(rows.length - 1);
        break;
      case 'Enter':
      case 'ContextMenu':
      case 'F10':
        if (row && target === row && (event.key !== 'F10' || event.shiftKey)) {
          const trigger = row.querySelector<HTMLButtonElement>('[aria-haspopup="menu"]');
          if (trigger) {
            event.preventDefault();
            trigger.click();
          }
        }
        break;
      case 'Escape':
        if (row) {
          event.preventDefault();
          ui.focusComposer();
        }
        break;
      default:
    }
  };

  const onScroll = (): void => {
    measure();
    const el = scrollerRef.current;
    if (el && el.scrollTop < LOAD_OLDER_PX) loadOlder();
  };

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
    <div className="message-pane">
    <div className="message-scroller" ref={scrollerRef} onScroll={onScroll} onKeyDown={onKeyDown} role="log" aria-label={t('chat.messages')} tabIndex={0}>
      <div className="message-history-top">
        {status === 'ready' && !hasOlder ? <p className="history-note">{t('chat.beginning')}</p> : null}
        {olderStatus === 'error' ? (
          <p className="history-note">
            {t('chat.loadOlderFailed')}{' '}
            <button type="button" className="link-button" onClick={() => actions.loadOlder(conversation.id)}>
              {t('chat.retry')}
            </button>
          </p>
        ) : null}
      </div>
      {status === 'error' && chunks.length === 0 ? (
        <p className="history-note">
          {t('chat.loadFailed')}{' '}
          <button type="button" className="link-button" onClick={() => actions.ensureLoaded(conversation.id)}>
            {t('chat.retry')}
          </button>
        </p>
      ) : null}
      {status !== 'ready' && status !== 'error' ? (
        <p className="history-note" role="status">
          <span className="spinner" aria-hidden="true" /> {t('chat.loading')}
        </p>
      ) : null}
      <ol className="message-list" ref={contentRef}>
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
              const showHeader = previous === undefined && (lastLoaded?.senderId !== me.id || item.createdAt - lastLoaded.createdAt > 5 * 60 * 1000);
              return <PendingRow key={item.clientId} item={item} me={me} showHeader={showHeader} />;
            })
          : null}
      </ol>
    </div>
      {olderStatus === 'loading' ? (
        // Floats over the list instead of taking space in it, so loading does not move the messages.
        <p className="loading-older" role="status">
          <span className="spinner" aria-hidden="true" /> {t('chat.loadingOlder')}
        </p>
      ) : null}
      {showJump ? (
        <button type="button" className="jump-button" onClick={scrollToBottom} title={t('chat.jumpToLatest')}>
          <Icon name="down" size={16} />
          {t('chat.newMessages')}
        </button>
      ) : null}
    </div>
  );
}

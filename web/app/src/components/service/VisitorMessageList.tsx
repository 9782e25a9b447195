import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ChatMessage, ChatSummary, User } from '@switchboard/protocol';
import { dayKey } from '../../i18n/format.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { useAppState } from '../../state/StoreProvider.js';
import type { VisitorOutgoing, VisitorTimeline } from '../../state/types.js';
import { visitorLabel } from '../../state/serviceSelectors.js';
import { Avatar } from '../common/Avatar.js';
import { Icon } from '../common/Icon.js';
import { MessageText } from '../chat/MessageText.js';
import { DaySeparator } from '../chat/MessageRow.js';
import { authorOf, messageText, visitorAvatarName } from './visitorText.js';

const STICK_PX = 80;
const LOAD_OLDER_PX = 400;
const GROUP_GAP_MS = 5 * 60 * 1000;
const NO_OUTGOING: readonly VisitorOutgoing[] = [];

interface RowProps {
  message: ChatMessage;
  prev: ChatMessage | undefined;
  chat: ChatSummary;
  users: ReadonlyMap<string, User>;
  meId: string | undefined;
}

/** One message of a visitor chat: the visitor, an agent (with name), a system line, or an internal note. */
const VisitorMessageRow = memo(function VisitorMessageRow({ message, prev, chat, users, meId }: RowProps) {
  const { t, format } = useI18n();
  const newDay = !prev || dayKey(prev.createdAt) !== dayKey(message.createdAt);
  const separator = newDay ? <DaySeparator at={message.createdAt} /> : null;
  const time = (
    <time dateTime={new Date(message.createdAt).toISOString()} title={format.full(message.createdAt)}>
      {format.time(message.createdAt)}
    </time>
  );
  if (message.author === 'system') {
    return (
      <>
        {separator}
        <li className="message-system visitor-system" data-testid="visitor-message" data-author="system" data-seq={message.seq} tabIndex={-1}>
          <span>{messageText(message, t)}</span> {time}
        </li>
      </>
    );
  }
  const name = authorOf(message, chat, users, t);
  const note = message.author === 'note';
  const continued =
    !newDay &&
    prev !== undefined &&
    prev.author === message.author &&
    prev.agentId === message.agentId &&
    message.createdAt - prev.createdAt < GROUP_GAP_MS;
  const own = message.agentId !== null && message.agentId === meId;
  const avatarId = message.author === 'visitor' ? chat.visitor.id : (message.agentId ?? name);
  const avatarName = message.author === 'visitor' ? visitorAvatarName(chat.visitor, t) : name;
  return (
    <>
      {separator}
      <li
        className={`message-row visitor-message author-${message.author}${continued && !note ? ' is-continued' : ''}${own ? ' is-own' : ''}`}
        data-testid="visitor-message"
        data-author={message.author}
        data-seq={message.seq}
        data-message-id={message.id}
        data-own={own || undefined}
        tabIndex={-1}
      >
        <div className="message-gutter">
          {continued && !note ? <span className="message-hover-time">{time}</span> : <Avatar id={avatarId} name={avatarName} />}
        </div>
        <div className="message-main">
          {continued && !note ? (
            <span className="visually-hidden">{name}</span>
          ) : (
            <div className="message-meta">
              <span className="message-sender">{name}</span>
              {message.author === 'visitor' ? <span className="tag tag-visitor">{t('visitor.tag')}</span> : null}
              <span className="message-time">{time}</span>
            </div>
          )}
          {note ? (
            <div className="note-box">
              <p className="note-label" data-testid="note-label">
                <Icon name="note" size={14} />
                {t('visitor.noteLabel')}
              </p>
              <div className="message-body">
                <MessageText text={message.body} />
              </div>
            </div>
          ) : (
            <div className="message-body">
              <MessageText text={message.body} />
            </div>
          )}
        </div>
      </li>
    </>
  );
});

/** A reply or note not acknowledged yet ("Sending…") or refused ("Not sent" with Retry / Discard). */
function PendingVisitorRow({ item, me }: { item: VisitorOutgoing; me: User }) {
  const { t, format } = useI18n();
  const desk = useServiceActions();
  const failed = item.status === 'failed';
  const body = (
    <div className="message-body">
      <MessageText text={item.body} />
    </div>
  );
  return (
    <li
      className={`message-row is-own is-pending visitor-message author-${item.note ? 'note' : 'agent'}${failed ? ' is-failed' : ''}`}
      data-testid="visitor-message-pending"
      data-status={item.status}
      data-note={item.note || undefined}
      aria-busy={!failed}
    >
      <div className="message-gutter">
        <Avatar id={me.id} name={me.displayName} />
      </div>
      <div className="message-main">
        <div className="message-meta">
          <span className="message-sender">{me.displayName}</span>
          <span className="message-time">{format.time(item.createdAt)}</span>
        </div>
        {item.note ? (
          <div className="note-box">
            <p className="note-label">
              <Icon name="note" size={14} />
              {t('visitor.noteLabel')}
            </p>
            {body}
          </div>
        ) : (
          body
        )}
        {failed ? (
          <div className="message-status message-status-failed" role="alert" title={item.error ?? undefined}>
            <span>{t('chat.failed')}</span>
            <button type="button" className="link-button" onClick={() => desk.retry(item.chatId, item.clientId)}>
              {t('chat.retrySend')}
            </button>
            <button type="button" className="link-button" onClick={() => desk.discard(item.chatId, item.clientId)}>
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
}

interface VisitorMessageListProps {
  chat: ChatSummary;
  timeline: VisitorTimeline;
  onEscape: () => void;
}

/** The visitor chat's history: sticks to the bottom while the agent is there, loads older pages on scroll-up. */
export function VisitorMessageList({ chat, timeline, onEscape }: VisitorMessageListProps) {
  const { t } = useI18n();
  const desk = useServiceActions();
  const me = useAppState((state) => state.me);
  const users = useAppState((state) => state.users);
  const outgoing = useAppState((state) => state.service.outgoing.get(chat.id) ?? NO_OUTGOING);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLOListElement>(null);
  const stickRef = useRef(true);
  const fromBottomRef = useRef(0);
  const firstSeqRef = useRef<number | undefined>(undefined);
  const lastSeqRef = useRef<number | undefined>(undefined);
  const [showJump, setShowJump] = useState(false);
  const { messages, status, hasOlder, olderStatus } = timeline;
  const firstSeq = messages[0]?.seq;
  const last = messages.at(-1);

  const canLoadOlder = status === 'ready' && hasOlder && olderStatus === 'idle';
  const loadOlder = useCallback(() => {
    if (canLoadOlder) desk.loadOlder(chat.id);
  }, [desk, canLoadOlder, chat.id]);

  const scrollToBottom = useCallback(() => {
    const el = scrollerRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    fromBottomRef.current = 0;
    stickRef.current = true;
    setShowJump(false);
  }, []);

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const prepended = firstSeq !== undefined && firstSeqRef.current !== undefined && firstSeq < firstSeqRef.current;
    const grew = last !== undefined && (lastSeqRef.current === undefined || last.seq > lastSeqRef.current);
    const mine = last?.agentId !== undefined && last.agentId === me?.id;
    if (prepended && !stickRef.current) el.scrollTop = el.scrollHeight - el.clientHeight - fromBottomRef.current;
    else if (stickRef.current || (grew && mine)) scrollToBottom();
    else if (grew && lastSeqRef.current !== undefined) setShowJump(true);
    firstSeqRef.current = firstSeq;
    lastSeqRef.current = last?.seq;
    fromBottomRef.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) loadOlder();
  }, [messages, outgoing, firstSeq, last, me?.id, scrollToBottom, loadOlder]);

  useEffect(() => {
    const el = scrollerRef.current;
    const content = contentRef.current;
    if (!el || !content || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stickRef.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(content);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = (): void => {
    const el = scrollerRef.current;
    if (!el) return;
    fromBottomRef.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    stickRef.current = fromBottomRef.current <= STICK_PX;
    if (stickRef.current) setShowJump(false);
    if (el.scrollTop < LOAD_OLDER_PX) loadOlder();
  };

  /** One Tab stop for the history: arrows move between messages, Home/End jump, Escape returns to the composer. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = event.target as HTMLElement;
    if (target.closest('a, button, textarea, input')) return;
    const rows = [...(contentRef.current?.querySelectorAll<HTMLElement>('[data-testid="visitor-message"]') ?? [])];
    if (rows.length === 0) return;
    const row = target.closest<HTMLElement>('[data-testid="visitor-message"]');
    const index = row ? rows.indexOf(row) : rows.length;
    const focusRow = (at: number): void => {
      event.preventDefault();
      rows[Math.max(0, Math.min(rows.length - 1, at))]?.focus();
    };
    if (event.key === 'ArrowUp') focusRow(index - 1);
    else if (event.key === 'ArrowDown' && row) focusRow(index + 1);
    else if (event.key === 'Home' && row) focusRow(0);
    else if (event.key === 'End' && row) focusRow(rows.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      onEscape();
    }
  };

  return (
    <div className="message-pane">
      <div
        className="message-scroller"
        ref={scrollerRef}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        role="log"
        aria-label={t('visitor.log', { name: visitorLabel(chat.visitor, t) })}
        tabIndex={0}
      >
        <div className="message-history-top">
          {status === 'ready' && !hasOlder ? <p className="history-note">{t('visitor.beginning')}</p> : null}
          {olderStatus === 'error' ? (
            <p className="history-note">
              {t('chat.loadOlderFailed')}{' '}
              <button type="button" className="link-button" onClick={() => desk.loadOlder(chat.id)}>
                {t('chat.retry')}
              </button>
            </p>
          ) : null}
        </div>
        {status === 'error' && messages.length === 0 ? (
          <p className="history-note">
            {t('chat.loadFailed')}{' '}
            <button type="button" className="link-button" onClick={() => desk.loadNewest(chat.id)}>
              {t('chat.retry')}
            </button>
          </p>
        ) : null}
        {status !== 'ready' && status !== 'error' && messages.length === 0 ? (
          <p className="history-note" role="status">
            <span className="spinner" aria-hidden="true" /> {t('chat.loading')}
          </p>
        ) : null}
        <ol className="message-list" ref={contentRef}>
          {messages.map((message, index) => (
            <VisitorMessageRow key={message.seq} message={message} prev={index > 0 ? messages[index - 1] : undefined} chat={chat} users={users} meId={me?.id} />
          ))}
          {me ? outgoing.map((item) => <PendingVisitorRow key={item.clientId} item={item} me={me} />) : null}
        </ol>
      </div>
      {olderStatus === 'loading' ? (
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

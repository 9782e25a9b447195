import { memo, useCallback, type KeyboardEvent } from 'react';
import type { ChatMessage, ChatSummary, User } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { useAppState } from '../../state/StoreProvider.js';
import type { VisitorOutgoing, VisitorTimeline } from '../../state/types.js';
import { visitorLabel } from '../../state/serviceSelectors.js';
import { MessageText } from '../chat/MessageText.js';
import { HistoryPane } from '../history/HistoryPane.js';
import { DaySeparator, GROUP_GAP_MS, MessageFrame, MessageTime, NoteBox, OutgoingStatus, startsNewDay } from '../history/MessageFrame.js';
import { useRowNavigation } from '../history/useRowNavigation.js';
import { useStickyScroll } from '../history/useStickyScroll.js';
import { authorOf, messageText, visitorAvatarName } from './visitorText.js';

const LOAD_OLDER_PX = 400;
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
  const { t } = useI18n();
  const newDay = startsNewDay(prev, message.createdAt);
  const separator = newDay ? <DaySeparator at={message.createdAt} /> : null;
  const time = <MessageTime at={message.createdAt} />;
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
    !note &&
    !newDay &&
    prev !== undefined &&
    prev.author === message.author &&
    prev.agentId === message.agentId &&
    message.createdAt - prev.createdAt < GROUP_GAP_MS;
  const own = message.agentId !== null && message.agentId === meId;
  const visitor = message.author === 'visitor';
  const body = (
    <div className="message-body">
      <MessageText text={message.body} />
    </div>
  );
  return (
    <>
      {separator}
      <MessageFrame
        className={`message-row visitor-message author-${message.author}${continued ? ' is-continued' : ''}${own ? ' is-own' : ''}`}
        data-testid="visitor-message"
        data-author={message.author}
        data-seq={message.seq}
        data-message-id={message.id}
        data-own={own || undefined}
        tabIndex={-1}
        header={continued ? 'continued' : 'full'}
        avatar={visitor ? { id: chat.visitor.id, name: visitorAvatarName(chat.visitor, t) } : { id: message.agentId ?? name, name }}
        sender={name}
        tag={visitor ? <span className="tag tag-visitor">{t('visitor.tag')}</span> : null}
        time={time}
      >
        {note ? <NoteBox labelTestId="note-label">{body}</NoteBox> : body}
      </MessageFrame>
    </>
  );
});

/** A reply or note not acknowledged yet ("Sending…") or refused ("Not sent" with Retry / Discard). */
function PendingVisitorRow({ item, me }: { item: VisitorOutgoing; me: User }) {
  const { format } = useI18n();
  const desk = useServiceActions();
  const failed = item.status === 'failed';
  const body = (
    <div className="message-body">
      <MessageText text={item.body} />
    </div>
  );
  return (
    <MessageFrame
      className={`message-row is-own is-pending visitor-message author-${item.note ? 'note' : 'agent'}${failed ? ' is-failed' : ''}`}
      data-testid="visitor-message-pending"
      data-status={item.status}
      data-note={item.note || undefined}
      aria-busy={!failed}
      header="full"
      avatar={{ id: me.id, name: me.displayName }}
      sender={me.displayName}
      time={format.time(item.createdAt)}
    >
      {item.note ? <NoteBox>{body}</NoteBox> : body}
      <OutgoingStatus
        status={item.status}
        error={item.error}
        onRetry={() => desk.retry(item.chatId, item.clientId)}
        onDiscard={() => desk.discard(item.chatId, item.clientId)}
      />
    </MessageFrame>
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
  const { messages, status, hasOlder, olderStatus } = timeline;
  const last = messages.at(-1);

  const canLoadOlder = status === 'ready' && hasOlder && olderStatus === 'idle';
  const loadOlder = useCallback(() => {
    if (canLoadOlder) desk.loadOlder(chat.id);
  }, [desk, canLoadOlder, chat.id]);

  const scroll = useStickyScroll({
    firstSeq: messages[0]?.seq,
    lastSeq: last?.seq,
    newestIsOwn: last !== undefined && last.agentId !== null && last.agentId === me?.id,
    pendingCount: outgoing.length,
    content: [messages, outgoing],
    loadOlderPx: LOAD_OLDER_PX,
    loadOlder,
  });

  const onKeyDown = useRowNavigation({
    contentRef: scroll.contentRef,
    rowSelector: '[data-testid="visitor-message"]',
    ignoreSelector: 'a, button, textarea, input',
    onOtherKey: (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onEscape();
    },
  });

  const empty = messages.length === 0;
  return (
    <HistoryPane
      label={t('visitor.log', { name: visitorLabel(chat.visitor, t) })}
      beginningNote={t('visitor.beginning')}
      status={status}
      hasOlder={hasOlder}
      olderStatus={olderStatus}
      loadFailed={status === 'error' && empty}
      loading={status !== 'ready' && status !== 'error' && empty}
      onRetryOlder={() => desk.loadOlder(chat.id)}
      onRetryLoad={() => desk.loadNewest(chat.id)}
      scroll={scroll}
      onKeyDown={onKeyDown}
    >
      {messages.map((message, index) => (
        <VisitorMessageRow key={message.seq} message={message} prev={index > 0 ? messages[index - 1] : undefined} chat={chat} users={users} meId={me?.id} />
      ))}
      {me ? outgoing.map((item) => <PendingVisitorRow key={item.clientId} item={item} me={me} />) : null}
    </HistoryPane>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import type { ChatSummary } from '@switchboard/protocol';
import { useGoTo } from '../../hooks/useHashRoute.js';
import { useMediaQuery } from '../../hooks/useMediaQuery.js';
import { useNow } from '../../hooks/useNow.js';
import { useWindowActive } from '../../hooks/useWindowActive.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { describeFailure, toFailure } from '../../lib/errors.js';
import { showToast } from '../../lib/toasts.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { EMPTY_VISITOR_TIMELINE } from '../../state/serviceReducer.js';
import { isInChat, visitorLabel } from '../../state/serviceSelectors.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Avatar } from '../common/Avatar.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';
import { Icon } from '../common/Icon.js';
import { TypingLine } from '../chat/TypingIndicator.js';
import { visitorAvatarName } from './visitorText.js';
import { AskDialog, InviteDialog, TransferDialog } from './ServiceDialogs.js';
import { VisitorComposer, type VisitorComposerHandle } from './VisitorComposer.js';
import { VisitorInfoPanel } from './VisitorInfoPanel.js';
import { VisitorMessageList } from './VisitorMessageList.js';

type Open = 'end' | 'transfer' | 'invite' | 'ask' | null;

/** The status line under the visitor's name. */
function statusText(chat: ChatSummary, t: ReturnType<typeof useI18n>['t']): string {
  if (chat.status === 'closed') return t('visitor.status.closed');
  if (!chat.visitor.online) return t('visitor.status.left');
  const page = chat.visitor.page;
  const where = page ? page.title.trim() || page.url : null;
  if (chat.status === 'queued') return t('visitor.status.queued');
  return where ? t('visitor.status.onPage', { page: where }) : t('visitor.status.online');
}

/**
 * One visitor chat: history (visitor, agents, system lines, internal notes), the visitor's typing,
 * the Reply / Note composer, the visitor's details, and the actions: ask a colleague over IM, invite
 * a colleague in, transfer, end. Read-only for a chat the agent is not in (a link, a transcript).
 */
export function VisitorChatPane({ chatId }: { chatId: string }) {
  const { t } = useI18n();
  const desk = useServiceActions();
  const goTo = useGoTo();
  const entry = useAppState((state) => state.service.chats.get(chatId));
  const timeline = useAppState((state) => state.service.timelines.get(chatId) ?? EMPTY_VISITOR_TIMELINE);
  const typingUntil = useAppState((state) => state.service.typing.get(chatId));
  const readSeq = useAppState((state) => state.service.readSeq.get(chatId) ?? 0);
  const meId = useAppState((state) => state.me?.id);
  const agent = useAppState((state) => state.permissions.includes('cs.agent') || state.permissions.includes('admin.service'));
  const windowActive = useWindowActive();
  const wide = useMediaQuery('(min-width: 1180px)');
  const [infoOpen, setInfoOpen] = useState<boolean | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const composerRef = useRef<VisitorComposerHandle>(null);
  const infoId = useId();
  const now = useNow(1000, typingUntil !== undefined);
  const chat = entry?.chat;

  // The summary of a chat this tab was not told about (a colleague's link, a transcript).
  const known = entry !== undefined;
  useEffect(() => {
    if (known || !agent) return;
    let cancelled = false;
    desk.loadChat(chatId).catch((error: unknown) => {
      if (cancelled) return;
      const failure = toFailure(error);
      setLoadError(failure.code === 'not_found' || failure.code === 'forbidden' || failure.code === 'bad_request' ? t('visitor.notAvailable') : describeFailure(t, error));
    });
    return () => {
      cancelled = true;
    };
  }, [desk, chatId, known, agent, t]);

  useEffect(() => {
    if (!known) return;
    desk.view(chatId);
    return () => desk.view(null);
  }, [desk, chatId, known]);

  // The agent has seen what is on screen while the window is active.
  const newest = timeline.messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (windowActive && timeline.status === 'ready' && newest > readSeq) desk.markSeen(chatId, newest);
  }, [desk, chatId, windowActive, timeline.status, newest, readSeq]);

  if (!chat) {
    return (
      <section className="chat chat-missing" data-testid="visitor-chat-missing">
        <p className="empty-note">{!agent ? t('visitor.notAvailable') : (loadError ?? t('app.loading'))}</p>
        <button type="button" className="button" onClick={() => goTo({ kind: 'home' })}>
          {t('chat.back')}
        </button>
      </section>
    );
  }

  const name = visitorLabel(chat.visitor, t);
  const inChat = isInChat(chat, meId);
  const invited = inChat && chat.status === 'assigned' && chat.assigneeId !== meId;
  const closed = chat.status === 'closed';
  const left = !closed && !chat.visitor.online;
  const typing = !closed && typingUntil !== undefined && typingUntil > now;
  const showInfo = infoOpen ?? wide;
  const done = (message: string): void => showToast(message, 'info');

  return (
    <section
      className={`chat visitor-chat${showInfo ? ' with-info' : ''}`}
      aria-label={name}
      data-testid="visitor-chat"
      data-chat-id={chat.id}
      data-status={chat.status}
      data-online={chat.visitor.online}
    >
      <header className="chat-header visitor-header">
        <button type="button" className="icon-button back-button" onClick={() => goTo({ kind: 'home' })} aria-label={t('chat.back')} title={t('chat.back')}>
          <Icon name="back" size={20} />
        </button>
        <Avatar id={chat.visitor.id} name={visitorAvatarName(chat.visitor, t)} presence={closed ? undefined : chat.visitor.online ? 'online' : 'offline'} />
        <div className="chat-title">
          <h1 data-testid="visitor-chat-title">{name}</h1>
          <p className="chat-subtitle" data-testid="visitor-status">
            {statusText(chat, t)}
          </p>
        </div>
        <button
          type="button"
          className={`button button-small info-toggle${showInfo ? ' is-active' : ''}`}
          aria-label={t('visitor.info.toggle')}
          title={t('visitor.info.toggle')}
          aria-expanded={showInfo}
          aria-controls={infoId}
          onClick={() => setInfoOpen(!showInfo)}
        >
          <Icon name="info" size={16} />
          <span className="info-toggle-text" aria-hidden="true">
            {t('visitor.info.toggle')}
          </span>
        </button>
      </header>
      {inChat ? (
        <div className="visitor-actions" role="toolbar" aria-label={t('visitor.actions')}>
          <button type="button" className="button button-small" onClick={() => setOpen('ask')}>
            <Icon name="help" size={16} />
            {t('visitor.action.ask')}
          </button>
          <button type="button" className="button button-small" onClick={() => setOpen('invite')}>
            <Icon name="userPlus" size={16} />
            {t('visitor.action.invite')}
          </button>
          {invited ? null : (
            <button type="button" className="button button-small" onClick={() => setOpen('transfer')}>
              <Icon name="transfer" size={16} />
              {t('visitor.action.transfer')}
            </button>
          )}
          <button type="button" className="button button-small button-danger-outline visitor-end" onClick={() => setOpen('end')}>
            <Icon name={invited ? 'leave' : 'end'} size={16} />
            {invited ? t('visitor.action.leave') : t('visitor.action.end')}
          </button>
        </div>
      ) : null}
      {left ? (
        <div className="visitor-banner visitor-banner-left" role="status" data-testid="visitor-left">
          <Icon name="leave" size={16} />
          <span>{t('visitor.leftBanner')}</span>
        </div>
      ) : null}
      <div
        className="visitor-body"
        onKeyDown={(event) => {
          // On narrower screens the details cover the chat: Escape puts them away.
          if (event.key === 'Escape' && showInfo && !wide && !event.defaultPrevented) {
            event.preventDefault();
            setInfoOpen(false);
          }
        }}
      >
        <div className="visitor-main">
          <VisitorMessageList chat={chat} timeline={timeline} onEscape={() => composerRef.current?.focus()} />
          <TypingLine text={typing ? t('visitor.typing', { name }) : ''} testId="visitor-typing" />
          {inChat ? (
            <VisitorComposer key={chat.id} ref={composerRef} chatId={chat.id} visitorName={name} />
          ) : (
            <p className="visitor-footer-note" data-testid="visitor-readonly">
              <Icon name={closed ? 'archive' : 'info'} size={16} />
              {closed ? t('visitor.closedNote') : t('visitor.readOnlyNote')}
            </p>
          )}
        </div>
        {showInfo ? (
          <>
            <button type="button" className="info-scrim" aria-hidden="true" tabIndex={-1} onClick={() => setInfoOpen(false)} />
            <VisitorInfoPanel chat={chat} id={infoId} />
          </>
        ) : null}
      </div>
      {open === 'end' && invited ? (
        // An invited colleague only leaves: the chat stays with the assignee.
        <ConfirmDialog
          title={t('visitor.leave.title')}
          body={t('visitor.leave.body')}
          confirmLabel={t('visitor.action.leave')}
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await desk.close(chat.id);
            goTo({ kind: 'home' }, { replace: true });
          }}
        />
      ) : open === 'end' ? (
        <ConfirmDialog
          title={t('visitor.end.title')}
          body={t('visitor.end.body', { name })}
          confirmLabel={t('visitor.action.end')}
          danger
          onClose={() => setOpen(null)}
          onConfirm={() => desk.close(chat.id)}
        />
      ) : null}
      {open === 'transfer' ? (
        <TransferDialog
          chatId={chat.id}
          onClose={() => setOpen(null)}
          onDone={(target) => {
            done(t('transfer.done', { name: target }));
            goTo({ kind: 'home' }, { replace: true });
          }}
        />
      ) : null}
      {open === 'invite' ? <InviteDialog chatId={chat.id} agentIds={chat.agentIds} onClose={() => setOpen(null)} onDone={(target) => done(t('invite.done', { name: target }))} /> : null}
      {open === 'ask' ? <AskDialog chatId={chat.id} onClose={() => setOpen(null)} onDone={(conversationId) => goTo({ kind: 'conversation', id: conversationId })} /> : null}
    </section>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Message } from '@switchboard/protocol';
import { useConversationTitler } from '../../hooks/useConversationTitle.js';
import { useNavigate } from '../../hooks/useHashRoute.js';
import { useWindowActive } from '../../hooks/useWindowActive.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { directPartnerId } from '../../state/selectors.js';
import { useAppState } from '../../state/StoreProvider.js';
import { EMPTY_TIMELINE, lastMessage } from '../../state/timeline.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';
import { GroupSettingsDialog } from '../dialogs/GroupSettingsDialog.js';
import { ChatHeader } from './ChatHeader.js';
import { ChatUiContext, type ChatUi } from './chatUi.js';
import { Composer, type ComposerHandle } from './Composer.js';
import { MessageList } from './MessageList.js';
import { TypingIndicator } from './TypingIndicator.js';

/** One open conversation: header, history, typing line and composer. */
export function ChatPane({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const actions = useChatActions();
  const navigate = useNavigate();
  const titleOf = useConversationTitler();
  const conversation = useAppState((state) => state.conversations.get(conversationId));
  const timeline = useAppState((state) => state.timelines.get(conversationId) ?? EMPTY_TIMELINE);
  const ready = useAppState((state) => state.ready);
  const meId = useAppState((state) => state.me?.id);
  const partnerId = conversation?.kind === 'direct' ? directPartnerId(conversation, meId) : undefined;
  const partnerPresence = useAppState((state) => (partnerId ? (state.presence.get(partnerId) ?? 'offline') : undefined));
  const windowActive = useWindowActive();
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const composerRef = useRef<ComposerHandle>(null);
  const timelineRef = useRef(timeline);
  timelineRef.current = timeline;

  const exists = conversation !== undefined;
  useEffect(() => {
    if (exists) actions.ensureLoaded(conversationId);
  }, [actions, conversationId, exists]);

  // Mark read while the conversation is on screen and the window has focus.
  const myLastRead = conversation?.members.find((member) => member.userId === meId)?.lastReadSeq ?? 0;
  const unread = conversation?.unread ?? 0;
  const newestLoaded = lastMessage(timeline)?.seq ?? 0;
  useEffect(() => {
    if (!windowActive || timeline.status !== 'ready' || newestLoaded === 0) return;
    if (newestLoaded > myLastRead || unread > 0) actions.markRead(conversationId, newestLoaded);
  }, [actions, conversationId, windowActive, timeline.status, newestLoaded, myLastRead, unread]);

  const ui = useMemo<ChatUi>(
    () => ({
      startEdit: (message) => setEditingId(message.id),
      endEdit: () => setEditingId(null),
      requestDelete: (message) => setDeleting(message),
      focusComposer: () => composerRef.current?.focus(),
    }),
    [],
  );

  const editLast = useCallback((): boolean => {
    if (!meId) return false;
    const { chunks } = timelineRef.current;
    for (let c = chunks.length - 1; c >= 0; c -= 1) {
      const items = chunks[c]?.items ?? [];
      for (let i = items.length - 1; i >= 0; i -= 1) {
        const message = items[i];
        if (message && message.senderId === meId && message.kind === 'text' && message.deletedAt === null) {
          setEditingId(message.id);
          return true;
        }
      }
    }
    return false;
  }, [meId]);

  if (!conversation) {
    return (
      <section className="chat chat-missing">
        <p className="empty-note">{ready ? t('chat.notFound') : t('app.loading')}</p>
        <button type="button" className="button" onClick={() => navigate(null)}>
          {t('chat.back')}
        </button>
      </section>
    );
  }

  const title = titleOf(conversation);
  return (
    <ChatUiContext.Provider value={ui}>
      <section className="chat" aria-label={title} data-testid="chat" data-conversation-id={conversation.id}>
        <ChatHeader
          conversation={conversation}
          title={title}
          partnerId={partnerId}
          partnerPresence={partnerPresence}
          onBack={() => navigate(null)}
          onSettings={() => setSettingsOpen(true)}
        />
        <MessageList key={`list:${conversation.id}`} conversation={conversation} timeline={timeline} editingId={editingId} />
        <TypingIndicator conversationId={conversation.id} />
        <Composer key={`composer:${conversation.id}`} ref={composerRef} conversationId={conversation.id} recipient={title} onEditLast={editLast} />
      </section>
      {deleting ? (
        <ConfirmDialog
          title={t('message.deleteConfirmTitle')}
          body={t('message.deleteConfirmBody')}
          confirmLabel={t('message.delete')}
          danger
          onClose={() => {
            setDeleting(null);
            composerRef.current?.focus();
          }}
          onConfirm={() => actions.remove(deleting.conversationId, deleting.id)}
        />
      ) : null}
      {settingsOpen && conversation.kind === 'group' ? <GroupSettingsDialog conversation={conversation} onClose={() => setSettingsOpen(false)} /> : null}
    </ChatUiContext.Provider>
  );
}

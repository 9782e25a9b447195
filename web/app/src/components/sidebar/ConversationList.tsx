import { useMemo } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useConversationTitler } from '../../hooks/useConversationTitle.js';
import { directPartnerId, sortConversations } from '../../state/selectors.js';
import { useAppState } from '../../state/StoreProvider.js';
import { ConversationItem } from './ConversationItem.js';
import { previewText } from './preview.js';

/** Direct chats and groups, most recent activity first, filtered by the sidebar search. */
export function ConversationList({ query, activeId }: { query: string; activeId: string | null }) {
  const { t } = useI18n();
  const conversations = useAppState((state) => state.conversations);
  const users = useAppState((state) => state.users);
  const presence = useAppState((state) => state.presence);
  const meId = useAppState((state) => state.me?.id);
  const ready = useAppState((state) => state.ready);
  const titleOf = useConversationTitler();

  const rows = useMemo(() => {
    const needle = query.trim().toLocaleLowerCase();
    return sortConversations(conversations)
      .map((conversation) => ({ conversation, title: titleOf(conversation) }))
      .filter(({ title }) => needle === '' || title.toLocaleLowerCase().includes(needle));
  }, [conversations, titleOf, query]);

  if (!ready) return <p className="sidebar-empty">{t('app.loading')}</p>;
  if (rows.length === 0) {
    return <p className="sidebar-empty">{query.trim() ? t('sidebar.noMatches', { query: query.trim() }) : t('sidebar.noChats')}</p>;
  }
  return (
    <ul className="conversation-list">
      {rows.map(({ conversation, title }) => {
        const partner = conversation.kind === 'direct' ? directPartnerId(conversation, meId) : undefined;
        return (
          <ConversationItem
            key={conversation.id}
            conversation={conversation}
            title={title}
            preview={previewText(conversation, users, meId, t)}
            active={conversation.id === activeId}
            presence={partner ? (presence.get(partner) ?? 'offline') : undefined}
            avatarId={partner ?? conversation.id}
          />
        );
      })}
    </ul>
  );
}

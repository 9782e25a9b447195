import { useEffect } from 'react';
import { useNavigate, useOpenConversationId } from '../../hooks/useHashRoute.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { useIdlePresence } from '../../hooks/useIdlePresence.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { totalUnread } from '../../state/selectors.js';
import { useAppState } from '../../state/StoreProvider.js';
import { ChatPane } from '../chat/ChatPane.js';
import { Toasts } from '../common/Toasts.js';
import { Sidebar } from '../sidebar/Sidebar.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { EmptyChat } from './EmptyChat.js';

/**
 * The signed-in layout: sidebar and chat side by side on a laptop; one at a time on a phone
 * (`data-view` tells the CSS which one), with the chat's back button returning to the list.
 */
export function Shell() {
  const { t } = useI18n();
  const actions = useChatActions();
  const navigate = useNavigate();
  const openId = useOpenConversationId();
  const unread = useAppState((state) => totalUnread(state.conversations));
  const ready = useAppState((state) => state.ready);
  const openExists = useAppState((state) => (openId ? state.conversations.has(openId) : false));

  useIdlePresence(actions.setPresence);
  useDocumentTitle(unread > 0 ? t('title.unread', { count: unread, title: t('app.name') }) : t('app.name'));

  // A conversation that disappeared (left, removed) closes instead of showing an error.
  useEffect(() => {
    if (ready && openId && !openExists) navigate(null, { replace: true });
  }, [ready, openId, openExists, navigate]);

  return (
    <div className="shell" data-view={openId ? 'chat' : 'list'}>
      <ConnectionBanner />
      <div className="shell-panes">
        <Sidebar activeId={openId} />
        <main className="main-pane">{openId ? <ChatPane conversationId={openId} /> : <EmptyChat />}</main>
      </div>
      <Toasts />
    </div>
  );
}

import { useEffect } from 'react';
import { useNavigate, useRoute } from '../../hooks/useHashRoute.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { useIdlePresence } from '../../hooks/useIdlePresence.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { totalUnread } from '../../state/selectors.js';
import { totalVisitorUnread } from '../../state/serviceSelectors.js';
import { useAppState } from '../../state/StoreProvider.js';
import { ChatPane } from '../chat/ChatPane.js';
import { Toasts } from '../common/Toasts.js';
import { TranscriptsPane } from '../service/TranscriptsPane.js';
import { VisitorChatPane } from '../service/VisitorChatPane.js';
import { Sidebar } from '../sidebar/Sidebar.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { EmptyChat } from './EmptyChat.js';

/**
 * The signed-in layout: sidebar and the open pane (IM chat, visitor chat, transcripts) side by side
 * on a laptop; one at a time on a phone (`data-view` tells the CSS which one), with the pane's back
 * button returning to the list.
 */
export function Shell() {
  const { t } = useI18n();
  const actions = useChatActions();
  const navigate = useNavigate();
  const route = useRoute();
  const openId = route.kind === 'conversation' ? route.id : null;
  const unread = useAppState((state) => totalUnread(state.conversations) + totalVisitorUnread(state.service));
  const ready = useAppState((state) => state.ready);
  const openExists = useAppState((state) => (openId ? state.conversations.has(openId) : false));

  useIdlePresence(actions.setPresence);
  useDocumentTitle(unread > 0 ? t('title.unread', { count: unread, title: t('app.name') }) : t('app.name'));

  // A conversation that disappeared (left, removed) closes instead of showing an error.
  useEffect(() => {
    if (ready && openId && !openExists) navigate(null, { replace: true });
  }, [ready, openId, openExists, navigate]);

  let pane;
  switch (route.kind) {
    case 'conversation':
      pane = <ChatPane conversationId={route.id} />;
      break;
    case 'visitor':
      pane = <VisitorChatPane key={route.id} chatId={route.id} />;
      break;
    case 'transcripts':
      pane = <TranscriptsPane />;
      break;
    case 'home':
      pane = <EmptyChat />;
      break;
  }

  return (
    <div className="shell" data-view={route.kind === 'home' ? 'list' : 'chat'}>
      <ConnectionBanner />
      <div className="shell-panes">
        <Sidebar activeId={openId} />
        <main className="main-pane">{pane}</main>
      </div>
      <Toasts />
    </div>
  );
}

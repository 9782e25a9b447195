import { useMemo } from 'react';
import { useGoTo, useRoute } from '../../hooks/useHashRoute.js';
import { useNow } from '../../hooks/useNow.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { openChats, recentChats, totalVisitorUnread, unreadOf, visitorLabel } from '../../state/serviceSelectors.js';
import { useAppState } from '../../state/StoreProvider.js';
import type { VisitorChat } from '../../state/types.js';
import { Icon } from '../common/Icon.js';
import type { SidebarSectionProps } from '../sidebar/extensions.js';
import { SidebarSection } from '../sidebar/SidebarSection.js';
import { VisitorChatItem } from './VisitorChatItem.js';
import { visitorAvatarName, visitorPreview } from './visitorText.js';

/**
 * "Visitors" in the sidebar, for agents: their open visitor chats (waiting, assigned, invited)
 * with unread counts and a "left" marker, then closed ones under "Recent". Hidden for everyone
 * else, and for an agent off duty with no chats (plain IM, patent step c "No").
 */
export function VisitorsSection({ query }: SidebarSectionProps) {
  const { t } = useI18n();
  const desk = useServiceActions();
  const goTo = useGoTo();
  const route = useRoute();
  const agent = useAppState((state) => state.permissions.includes('cs.agent'));
  const service = useAppState((state) => state.service);
  const users = useAppState((state) => state.users);
  const meId = useAppState((state) => state.me?.id);
  const anyTyping = service.typing.size > 0;
  const now = useNow(1000, anyTyping);

  const { open, recent, unread } = useMemo(
    () => ({ open: openChats(service), recent: recentChats(service), unread: totalVisitorUnread(service) }),
    [service],
  );
  const needle = query.trim().toLocaleLowerCase();
  const matches = (entry: VisitorChat): boolean => {
    if (!needle) return true;
    const { visitor } = entry.chat;
    return [visitorLabel(visitor, t), visitor.email ?? '', visitor.page?.url ?? ''].some((text) => text.toLocaleLowerCase().includes(needle));
  };

  const duty = service.duty;
  if (!agent) return null;
  if ((duty === null || duty === 'off') && open.length === 0 && recent.length === 0) return null;

  const activeId = route.kind === 'visitor' ? route.id : null;
  const renderItem = (entry: VisitorChat) => {
    const { chat } = entry;
    const typingUntil = service.typing.get(chat.id);
    return (
      <VisitorChatItem
        key={chat.id}
        chat={chat}
        name={visitorLabel(chat.visitor, t)}
        preview={visitorPreview(chat, service.timelines.get(chat.id)?.messages, users, meId, t)}
        avatarName={visitorAvatarName(chat.visitor, t)}
        unread={chat.status === 'closed' ? 0 : unreadOf(chat, service.timelines.get(chat.id), service.readSeq.get(chat.id) ?? 0)}
        active={chat.id === activeId}
        invited={meId !== undefined && chat.assigneeId !== meId && chat.agentIds.includes(meId)}
        typing={typingUntil !== undefined && typingUntil > now}
      />
    );
  };
  const shownOpen = open.filter(matches);
  const shownRecent = recent.filter(matches);
  const emptyText = needle
    ? t('sidebar.noMatches', { query: query.trim() })
    : duty === 'available'
      ? t('visitors.empty.available')
      : duty === 'away'
        ? t('visitors.empty.away')
        : t('visitors.empty.off');

  return (
    <SidebarSection
      title={t('visitors.title')}
      testId="section-visitors"
      count={unread}
      countLabel={t('sidebar.unread', { count: unread })}
      attention={unread > 0}
      actions={
        <button
          type="button"
          className="icon-button icon-button-inverse"
          aria-label={t('transcripts.open')}
          title={t('transcripts.open')}
          onClick={() => goTo({ kind: 'transcripts' })}
        >
          <Icon name="archive" size={16} />
        </button>
      }
    >
      {shownOpen.length > 0 ? <ul className="conversation-list visitor-list">{shownOpen.map(renderItem)}</ul> : <p className="sidebar-empty">{emptyText}</p>}
      {shownRecent.length > 0 ? (
        <div className="visitor-recent" data-testid="visitors-recent">
          <div className="visitor-recent-header">
            <h3>{t('visitors.recent')}</h3>
            <button type="button" className="link-button visitor-recent-clear" onClick={() => desk.dismissRecent(recent.map((entry) => entry.chat.id))}>
              {t('visitors.recentClear')}
            </button>
          </div>
          <ul className="conversation-list visitor-list">{shownRecent.map(renderItem)}</ul>
        </div>
      ) : null}
    </SidebarSection>
  );
}

import type { Conversation, PresenceStatus } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Avatar } from '../common/Avatar.js';
import { Icon } from '../common/Icon.js';

const STATUS = { online: 'presence.online', away: 'presence.away', offline: 'presence.offline' } as const;

interface ChatHeaderProps {
  conversation: Conversation;
  title: string;
  partnerId: string | undefined;
  partnerPresence: PresenceStatus | undefined;
  onBack: () => void;
  onSettings: () => void;
}

export function ChatHeader({ conversation, title, partnerId, partnerPresence, onBack, onSettings }: ChatHeaderProps) {
  const { t } = useI18n();
  const group = conversation.kind === 'group';
  return (
    <header className="chat-header">
      <button type="button" className="icon-button back-button" onClick={onBack} aria-label={t('chat.back')} title={t('chat.back')}>
        <Icon name="back" size={20} />
      </button>
      <Avatar id={partnerId ?? conversation.id} name={title} group={group} presence={group ? undefined : partnerPresence} />
      <div className="chat-title">
        <h1 data-testid="chat-title">{title}</h1>
        <p className="chat-subtitle">
          {group ? t('conversation.members', { count: conversation.members.length }) : partnerPresence ? t(STATUS[partnerPresence]) : null}
        </p>
      </div>
      {group ? (
        <button type="button" className="icon-button" onClick={onSettings} aria-label={t('chat.settings')} title={t('chat.settings')}>
          <Icon name="settings" size={20} />
        </button>
      ) : null}
    </header>
  );
}

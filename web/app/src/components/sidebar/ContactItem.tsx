import { memo, useId } from 'react';
import type { PresenceStatus, User } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Avatar } from '../common/Avatar.js';

const STATUS = { online: 'presence.online', away: 'presence.away', offline: 'presence.offline' } as const;

interface ContactItemProps {
  user: User;
  presence: PresenceStatus;
  busy: boolean;
  onOpen: (userId: string) => void;
}

/** A colleague in the directory; activating it opens the direct chat. */
export const ContactItem = memo(function ContactItem({ user, presence, busy, onOpen }: ContactItemProps) {
  const { t } = useI18n();
  const statusId = useId();
  return (
    <li data-user-id={user.id}>
      <button
        type="button"
        className="contact-item"
        data-testid={`contact-${user.username}`}
        aria-label={user.displayName}
        aria-describedby={statusId}
        aria-busy={busy || undefined}
        onClick={() => onOpen(user.id)}
      >
        <Avatar id={user.id} name={user.displayName} size="sm" presence={presence} />
        <span className="contact-name">{user.displayName}</span>
        <span className="contact-username" id={statusId}>
          <span className="visually-hidden">{t(STATUS[presence])} · </span>@{user.username}
        </span>
      </button>
    </li>
  );
});

import { useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate } from '../../hooks/useHashRoute.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { describeFailure } from '../../lib/errors.js';
import { showToast } from '../../lib/toasts.js';
import { useChatActions } from '../../net/actions.js';
import { useAppState } from '../../state/StoreProvider.js';
import { ContactItem } from './ContactItem.js';
import { useRowsInView, useWatchPresence } from '../../hooks/useWatchPresence.js';

/** The company directory (colleagues other than you), alphabetical, with presence. */
export function ContactList({ query, onOpened }: { query: string; onOpened?: () => void }) {
  const { t, locale } = useI18n();
  const users = useAppState((state) => state.users);
  const presence = useAppState((state) => state.presence);
  const meId = useAppState((state) => state.me?.id);
  const actions = useChatActions();
  const navigate = useNavigate();
  const [opening, setOpening] = useState<string | null>(null);

  const contacts = useMemo(() => {
    const needle = query.trim().toLocaleLowerCase();
    const collator = new Intl.Collator(locale);
    return [...users.values()]
      .filter((user) => user.id !== meId && !user.disabled)
      .filter((user) => needle === '' || user.displayName.toLocaleLowerCase().includes(needle) || user.username.includes(needle))
      .sort((a, b) => collator.compare(a.displayName, b.displayName));
  }, [users, meId, query, locale]);

  const listRef = useRef<HTMLUListElement>(null);
  useWatchPresence(useRowsInView(listRef, contacts));

  const open = useCallback(
    (userId: string) => {
      setOpening(userId);
      actions
        .openDirect(userId)
        .then((conversationId) => {
          navigate(conversationId);
          onOpened?.();
        })
        .catch((error: unknown) => showToast(describeFailure(t, error)))
        .finally(() => setOpening(null));
    },
    [actions, navigate, onOpened, t],
  );

  if (contacts.length === 0) {
    return <p className="sidebar-empty">{query.trim() ? t('sidebar.noMatches', { query: query.trim() }) : t('sidebar.noContacts')}</p>;
  }
  return (
    <ul className="contact-list" ref={listRef}>
      {contacts.map((user) => (
        <ContactItem key={user.id} user={user} presence={presence.get(user.id) ?? 'offline'} busy={opening === user.id} onOpen={open} />
      ))}
    </ul>
  );
}

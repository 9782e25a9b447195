import type { Message } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Icon } from '../common/Icon.js';
import { Menu, type MenuItem } from '../common/Menu.js';
import { useChatUi } from './chatUi.js';

/**
 * The "…" menu on an own message: edit, copy, delete. Shown on hover or when the message has focus.
 * Out of the Tab order (a long history would be hundreds of stops): from the keyboard, focus the
 * message with the arrow keys in the message list and press Enter (see MessageList).
 */
export function MessageActions({ message }: { message: Message }) {
  const { t } = useI18n();
  const ui = useChatUi();
  const items: MenuItem[] = [
    { id: 'edit', label: t('message.edit'), icon: <Icon name="edit" size={16} />, onSelect: () => ui.startEdit(message) },
    {
      id: 'copy',
      label: t('message.copy'),
      icon: <Icon name="copy" size={16} />,
      onSelect: () => {
        void navigator.clipboard?.writeText(message.body).catch(() => undefined);
      },
    },
    { id: 'delete', label: t('message.delete'), icon: <Icon name="trash" size={16} />, danger: true, onSelect: () => ui.requestDelete(message) },
  ];
  return (
    <div className="message-actions">
      <Menu label={t('message.actions')} trigger={<Icon name="more" size={16} />} items={items} triggerClassName="icon-button icon-button-small" triggerTabIndex={-1} />
    </div>
  );
}

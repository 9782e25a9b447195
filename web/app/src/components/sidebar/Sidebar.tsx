import { useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Icon } from '../common/Icon.js';
import { NewGroupDialog } from '../dialogs/NewGroupDialog.js';
import { AccountMenu } from './AccountMenu.js';
import { ContactList } from './ContactList.js';
import { ConversationList } from './ConversationList.js';
import { SIDEBAR_SECTIONS_BEFORE_CHATS, SIDEBAR_SECTIONS_BEFORE_CONTACTS } from './extensions.js';
import { SidebarSection } from './SidebarSection.js';

export function Sidebar({ activeId }: { activeId: string | null }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [creatingGroup, setCreatingGroup] = useState(false);

  return (
    <aside className="sidebar" aria-label={t('sidebar.label')}>
      <header className="sidebar-header">
        <AccountMenu />
      </header>
      <div className="sidebar-search">
        <Icon name="search" size={16} />
        <input
          type="search"
          aria-label={t('sidebar.search')}
          placeholder={t('sidebar.searchPlaceholder')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setQuery('');
          }}
        />
      </div>
      <div className="sidebar-scroll">
        {SIDEBAR_SECTIONS_BEFORE_CHATS.map(({ id, Component }) => (
          <Component key={id} query={query} />
        ))}
        <SidebarSection
          title={t('sidebar.chats')}
          testId="section-chats"
          actions={
            <button type="button" className="icon-button icon-button-inverse" aria-label={t('sidebar.newGroup')} title={t('sidebar.newGroup')} onClick={() => setCreatingGroup(true)}>
              <Icon name="plus" />
            </button>
          }
        >
          <ConversationList query={query} activeId={activeId} />
        </SidebarSection>
        {SIDEBAR_SECTIONS_BEFORE_CONTACTS.map(({ id, Component }) => (
          <Component key={id} query={query} />
        ))}
        <SidebarSection title={t('sidebar.contacts')} testId="section-contacts">
          <ContactList query={query} />
        </SidebarSection>
      </div>
      {creatingGroup ? <NewGroupDialog onClose={() => setCreatingGroup(false)} /> : null}
    </aside>
  );
}

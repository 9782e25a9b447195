import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Avatar } from '../common/Avatar.js';
import { Icon } from '../common/Icon.js';
import { LanguageSelect } from '../common/LanguageSelect.js';
import { Menu } from '../common/Menu.js';
import { DutyMenu } from '../service/DutyMenu.js';

/** The signed-in user (with their own presence) and a menu with language and logout. */
export function AccountMenu() {
  const { t } = useI18n();
  const me = useAppState((state) => state.me);
  // While the socket is down the others see us offline (or soon will): show it honestly.
  const presence = useAppState((state) =>
    state.me && state.connection === 'online' ? (state.presence.get(state.me.id) ?? 'online') : 'offline',
  );
  const actions = useChatActions();
  const agent = useAppState((state) => state.permissions.includes('cs.agent'));
  if (!me) return null;
  return (
    <div className="account">
      <Avatar id={me.id} name={me.displayName} presence={presence} />
      <div className="account-text">
        <span className="account-name">{me.displayName}</span>
        {agent ? <DutyMenu /> : <span className="account-username">@{me.username}</span>}
      </div>
      <Menu
        label={t('menu.account')}
        trigger={<Icon name="more" />}
        triggerClassName="icon-button icon-button-inverse"
        header={
          <>
            <p className="menu-note">{t('menu.signedInAs', { name: `${me.displayName} (@${me.username})` })}</p>
            <LanguageSelect />
          </>
        }
        items={[{ id: 'logout', label: t('menu.logout'), icon: <Icon name="logout" size={16} />, onSelect: () => void actions.logout() }]}
      />
    </div>
  );
}

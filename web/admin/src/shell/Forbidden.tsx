import { useEffect } from 'react';
import { useAuth, useMe } from '../auth';
import { Icon } from '../components/Icon';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { Brand } from './Brand';

/** A signed-in user without any admin permission. */
export function Forbidden() {
  const { t } = useI18n();
  const { logout } = useAuth();
  const { user } = useMe();
  useEffect(() => {
    document.title = `${t('forbidden.title')} · ${t('app.name')}`;
  }, [t]);
  return (
    <div className="auth-page">
      <div className="auth-corner">
        <LanguageSwitch compact />
      </div>
      <main className="auth-card" aria-labelledby="forbidden-title" data-testid="forbidden">
        <Brand />
        <div className="auth-icon auth-icon-warning">
          <Icon name="ban" size={28} />
        </div>
        <h1 id="forbidden-title" className="auth-title">
          {t('forbidden.title')}
        </h1>
        <p className="auth-subtitle">{t('forbidden.body', { name: user.displayName, username: user.username })}</p>
        <div className="stack">
          <a className="btn btn-primary btn-block" href="/app/">
            {t('forbidden.openApp')}
            <Icon name="external" size={16} />
          </a>
          <button type="button" className="btn btn-secondary btn-block" onClick={() => void logout()}>
            {t('shell.logout')}
          </button>
        </div>
      </main>
    </div>
  );
}

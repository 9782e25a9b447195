import { useAuth, useMe } from '../auth';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n';
import { AuthCard } from './AuthCard';

/** A signed-in user without any admin permission. */
export function Forbidden() {
  const { t } = useI18n();
  const { logout } = useAuth();
  const { user } = useMe();
  return (
    <AuthCard
      title={t('forbidden.title')}
      titleId="forbidden-title"
      subtitle={t('forbidden.body', { name: user.displayName, username: user.username })}
      icon={
        <div className="auth-icon auth-icon-warning">
          <Icon name="ban" size={28} />
        </div>
      }
      testId="forbidden"
    >
      <div className="stack">
        <a className="btn btn-primary btn-block" href="/app/">
          {t('forbidden.openApp')}
          <Icon name="external" size={16} />
        </a>
        <button type="button" className="btn btn-secondary btn-block" onClick={() => void logout()}>
          {t('shell.logout')}
        </button>
      </div>
    </AuthCard>
  );
}

import { useAuth } from '../auth';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n';
import { LoginForm } from './LoginForm';

/** Shown over the console when a request answers 401, so open forms keep what was typed. */
export function SessionExpiredDialog({ username }: { username: string }) {
  const { t } = useI18n();
  const { logout } = useAuth();
  return (
    <Dialog
      title={t('session.expiredTitle')}
      description={t('session.expiredBody')}
      onClose={() => undefined}
      dismissible={false}
      size="small"
      testId="session-expired-dialog"
    >
      <LoginForm initialUsername={username} submitLabel={t('session.signInAgain')} />
      <button type="button" className="btn btn-ghost btn-block" onClick={() => void logout()}>
        {t('shell.logout')}
      </button>
    </Dialog>
  );
}

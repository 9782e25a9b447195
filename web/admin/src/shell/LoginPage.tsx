import type { ApiError } from '../api';
import { useAuth } from '../auth';
import { FormAlert } from '../components/Field';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { AuthCard } from './AuthCard';
import { LoginForm } from './LoginForm';

export function LoginPage({ probeError, signedOut }: { probeError: ApiError | null; signedOut: boolean }) {
  const { t } = useI18n();
  const { retry } = useAuth();
  return (
    <AuthCard title={t('login.title')} titleId="login-title" subtitle={t('login.subtitle')}>
      {signedOut && <FormAlert tone="success">{t('login.signedOut')}</FormAlert>}
      {probeError && (
        <FormAlert tone="info" testId="probe-error">
          {t('login.probeFailed', { reason: probeError.code === 'not_found' ? t('login.apiMissing') : describeError(t, probeError) })}{' '}
          <button type="button" className="link-button" onClick={retry}>
            {t('common.retry')}
          </button>
        </FormAlert>
      )}
      <LoginForm />
      <p className="auth-footer">
        <a href="/app/">{t('login.openApp')}</a>
      </p>
    </AuthCard>
  );
}

import { useEffect } from 'react';
import type { ApiError } from '../api';
import { useAuth } from '../auth';
import { FormAlert } from '../components/Field';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Brand } from './Brand';
import { LoginForm } from './LoginForm';

export function LoginPage({ probeError, signedOut }: { probeError: ApiError | null; signedOut: boolean }) {
  const { t } = useI18n();
  const { retry } = useAuth();
  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  return (
    <div className="auth-page">
      <div className="auth-corner">
        <LanguageSwitch compact />
      </div>
      <main className="auth-card" aria-labelledby="login-title">
        <Brand />
        <h1 id="login-title" className="auth-title">
          {t('login.title')}
        </h1>
        <p className="auth-subtitle">{t('login.subtitle')}</p>
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
      </main>
    </div>
  );
}

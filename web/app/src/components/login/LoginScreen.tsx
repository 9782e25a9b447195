import { useId, useRef, useState, type ComponentProps, type FormEvent } from 'react';
import { useAuth } from '../../auth/AuthProvider.js';
import type { MessageKey } from '../../i18n/en.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { toFailure } from '../../lib/errors.js';
import { LanguageSelect } from '../common/LanguageSelect.js';

const ERROR_KEYS: Partial<Record<string, MessageKey>> = {
  invalid_credentials: 'login.error.invalid_credentials',
  unauthorized: 'login.error.invalid_credentials',
  account_locked: 'login.error.account_locked',
  rate_limited: 'login.error.rate_limited',
  unavailable: 'login.error.unavailable',
  network: 'login.error.network',
};

/** A labelled login input; while the form shows an error, the input is invalid and described by it. */
function LoginField({ label, errorId, ...input }: ComponentProps<'input'> & { label: string; errorId: string | undefined }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input {...input} aria-invalid={errorId ? true : undefined} aria-describedby={errorId} />
    </label>
  );
}

export function LoginScreen({ notice }: { notice: MessageKey | null }) {
  const { t } = useI18n();
  const { login } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    if (username.trim() === '' || password === '') {
      setError(t('login.error.empty'));
      (username.trim() === '' ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (failure) {
      const { code, message } = toFailure(failure);
      const key = ERROR_KEYS[code];
      setError(key ? t(key) : t('login.error.generic', { message }));
      setBusy(false);
      setPassword('');
      passwordRef.current?.focus();
    }
  };

  const describedBy = error ? errorId : undefined;
  return (
    <main className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <h1>{t('login.title')}</h1>
        <p className="login-subtitle">{t('login.subtitle')}</p>
        {notice && !error ? (
          <p className="login-notice" role="status">
            {t(notice)}
          </p>
        ) : null}
        <form className="login-form" onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
          <LoginField
            label={t('login.username')}
            ref={usernameRef}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            errorId={describedBy}
            maxLength={64}
          />
          <LoginField
            label={t('login.password')}
            ref={passwordRef}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            errorId={describedBy}
            maxLength={256}
          />
          {error ? (
            <p id={errorId} className="form-error" role="alert" data-testid="login-error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </div>
      <div className="login-footer">
        <LanguageSelect />
      </div>
    </main>
  );
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { LoginRequest } from '@switchboard/protocol';
import { isApiError } from '../api';
import { useAuth } from '../auth';
import { FormAlert, PasswordField, TextField } from '../components/Field';
import { Spinner } from '../components/Spinner';
import { describeError, type FieldErrors } from '../errors';
import { useI18n } from '../i18n';

type Field = 'username' | 'password';

export function LoginForm({ initialUsername = '', submitLabel }: { initialUsername?: string; submitLabel?: string }) {
  const { t } = useI18n();
  const { login } = useAuth();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [submitting, setSubmitting] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (initialUsername ? passwordRef : usernameRef).current?.focus();
    // Only on mount: later focus follows the user.
  }, []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    const parsed = LoginRequest.safeParse({ username: username.trim(), password });
    if (!parsed.success) {
      const next: FieldErrors<Field> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (field === 'username' && !next.username) next.username = t('login.usernameRequired');
        if (field === 'password' && !next.password) next.password = t('login.passwordRequired');
      }
      setErrors(next);
      (next.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      await login(parsed.data);
    } catch (error) {
      setSubmitting(false);
      if (isApiError(error) && error.code === 'invalid_credentials') {
        setErrors({ form: t('error.invalidCredentials') });
        passwordRef.current?.select();
        passwordRef.current?.focus();
      } else {
        setErrors({ form: describeError(t, error) });
      }
    }
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="login-form">
      {errors.form && <FormAlert testId="login-error">{errors.form}</FormAlert>}
      <TextField
        label={t('login.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        onChange={(event) => {
          setUsername(event.target.value);
          if (errors.username) setErrors(({ username: _, ...rest }) => rest);
        }}
        error={errors.username}
        inputRef={usernameRef}
        autoFocusOnOpen={!initialUsername}
      />
      <PasswordField
        label={t('login.password')}
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => {
          setPassword(event.target.value);
          if (errors.password) setErrors(({ password: _, ...rest }) => rest);
        }}
        error={errors.password}
        inputRef={passwordRef}
        autoFocusOnOpen={!!initialUsername}
      />
      <button type="submit" className="btn btn-primary btn-block" disabled={submitting} aria-busy={submitting}>
        {submitting && <Spinner />}
        {submitLabel ?? t('login.submit')}
      </button>
    </form>
  );
}

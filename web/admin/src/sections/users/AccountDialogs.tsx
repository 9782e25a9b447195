/* Reset a user's password; disable or enable an account (with confirmation). */
import { useRef, useState, type FormEvent } from 'react';
import { UpdateUserRequest, type User } from '@switchboard/protocol';
import { api } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FormAlert, PasswordField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { describeError, focusFirstInvalid, formErrorsFromApi, zodFieldErrors, type FieldErrors } from '../../errors';
import { useI18n } from '../../i18n';
import { generatePassword } from './passwords';

const PASSWORD_FIELDS = ['password'] as const;

export function ResetPasswordDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const [password, setPassword] = useState('');
  const [revealed, setRevealed] = useState(false);
  const [copied, setCopied] = useState(false);
  const [errors, setErrors] = useState<FieldErrors<'password'>>({});
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const parsed = UpdateUserRequest.safeParse({ password });
    if (!parsed.success || parsed.data.password === undefined) {
      setErrors(parsed.success ? { password: t('validation.required') } : zodFieldErrors(t, parsed.error, PASSWORD_FIELDS));
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onDone(await api.updateUser(user.id, { password: parsed.data.password }));
    } catch (error) {
      setBusy(false);
      setErrors(formErrorsFromApi(t, error, PASSWORD_FIELDS));
      focusFirstInvalid(formRef.current);
    }
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      setRevealed(true);
    }
  };

  return (
    <Dialog
      title={t('users.password.title', { name: user.displayName })}
      description={t('users.password.description', { username: user.username })}
      onClose={onClose}
      testId="reset-password-dialog"
    >
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        {errors.form && <FormAlert testId="form-error">{errors.form}</FormAlert>}
        <PasswordField
          label={t('users.field.newPassword')}
          name="new-password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            setCopied(false);
            setErrors({});
          }}
          error={errors.password}
          hint={t('users.hint.password')}
          revealed={revealed}
          onRevealedChange={setRevealed}
          actions={
            <>
              <button
                type="button"
                className="input-addon"
                onClick={() => {
                  setPassword(generatePassword());
                  setRevealed(true);
                  setCopied(false);
                  setErrors({});
                }}
                title={t('password.generate')}
              >
                <Icon name="dice" />
                <span className="visually-hidden">{t('password.generate')}</span>
              </button>
              <button
                type="button"
                className="input-addon"
                onClick={() => void copy()}
                disabled={password.length === 0}
                title={copied ? t('password.copied') : t('password.copy')}
              >
                <Icon name={copied ? 'check' : 'copy'} />
                <span className="visually-hidden">{copied ? t('password.copied') : t('password.copy')}</span>
              </button>
            </>
          }
        />
        <span className="visually-hidden" aria-live="polite">
          {copied ? t('password.copied') : ''}
        </span>
        <div className="dialog-footer">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy} data-testid="reset-password-submit">
            {busy && <Spinner />}
            {t('users.password.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function ToggleDisabledDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const disabling = !user.disabled;

  const confirm = async () => {
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      onDone(await api.updateUser(user.id, { disabled: disabling }));
    } catch (failure) {
      setBusy(false);
      setError(describeError(t, failure));
    }
  };

  return (
    <Dialog
      title={disabling ? t('users.disable.title', { name: user.displayName }) : t('users.enable.title', { name: user.displayName })}
      description={
        disabling
          ? t('users.disable.body', { name: user.displayName, username: user.username })
          : t('users.enable.body', { name: user.displayName, username: user.username })
      }
      onClose={onClose}
      size="small"
      tone={disabling ? 'danger' : 'default'}
      testId="toggle-disabled-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus="">
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={`btn ${disabling ? 'btn-danger' : 'btn-primary'}`}
            onClick={() => void confirm()}
            disabled={busy}
            aria-busy={busy}
            data-testid="confirm-toggle-disabled"
          >
            {busy && <Spinner />}
            {disabling ? t('users.action.disable') : t('users.action.enable')}
          </button>
        </>
      }
    >
      {error && <FormAlert testId="form-error">{error}</FormAlert>}
    </Dialog>
  );
}

/* Reset a user's password; disable or enable an account (with confirmation). */
import { useState, type FormEvent } from 'react';
import { UpdateUserRequest, type User } from '@switchboard/protocol';
import { api } from '../../api';
import { BusyButton } from '../../components/BusyButton';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { FormAlert } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { zodFieldErrors } from '../../errors';
import { useI18n } from '../../i18n';
import { NewPasswordField } from './NewPasswordField';
import { useUserForm } from './useUserForm';

const PASSWORD_FIELDS = ['password'] as const;

export function ResetPasswordDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const form = useUserForm(PASSWORD_FIELDS);
  const [password, setPassword] = useState('');
  const [revealed, setRevealed] = useState(false);
  const [copied, setCopied] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (form.busy) return;
    const parsed = UpdateUserRequest.safeParse({ password });
    if (!parsed.success || parsed.data.password === undefined) {
      form.reject(parsed.success ? { password: t('validation.required') } : zodFieldErrors(t, parsed.error, PASSWORD_FIELDS));
      return;
    }
    const newPassword = parsed.data.password;
    await form.submit(() => api.updateUser(user.id, { password: newPassword }), onDone);
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
      <form ref={form.formRef} className="form" onSubmit={onSubmit} noValidate>
        {form.errors.form && <FormAlert testId="form-error">{form.errors.form}</FormAlert>}
        <NewPasswordField
          label={t('users.field.newPassword')}
          value={password}
          onChange={(value) => {
            setPassword(value);
            setCopied(false);
            form.clearError('password');
          }}
          error={form.errors.password}
          revealed={revealed}
          onRevealedChange={setRevealed}
          actions={
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
          }
        />
        <span className="visually-hidden" aria-live="polite">
          {copied ? t('password.copied') : ''}
        </span>
        <div className="dialog-footer">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <BusyButton type="submit" className="btn btn-primary" busy={form.busy} data-testid="reset-password-submit">
            {t('users.password.submit')}
          </BusyButton>
        </div>
      </form>
    </Dialog>
  );
}

export function ToggleDisabledDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const disabling = !user.disabled;
  return (
    <ConfirmDialog
      title={disabling ? t('users.disable.title', { name: user.displayName }) : t('users.enable.title', { name: user.displayName })}
      body={
        disabling
          ? t('users.disable.body', { name: user.displayName, username: user.username })
          : t('users.enable.body', { name: user.displayName, username: user.username })
      }
      confirmLabel={disabling ? t('users.action.disable') : t('users.action.enable')}
      tone={disabling ? 'danger' : 'default'}
      testId="toggle-disabled-dialog"
      confirmTestId="confirm-toggle-disabled"
      onClose={onClose}
      onConfirm={async () => onDone(await api.updateUser(user.id, { disabled: disabling }))}
    />
  );
}

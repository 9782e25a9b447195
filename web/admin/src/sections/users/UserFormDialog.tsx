/* Create a user, or edit one's display name and roles. Input survives every failure. */
import { useState, type FormEvent } from 'react';
import { CreateUserRequest, LIMITS, UpdateUserRequest, type Role, type User } from '@switchboard/protocol';
import { api } from '../../api';
import { useMe } from '../../auth';
import { Avatar } from '../../components/Avatar';
import { BusyButton } from '../../components/BusyButton';
import { Dialog } from '../../components/Dialog';
import { FormAlert, TextField } from '../../components/Field';
import { zodFieldErrors } from '../../errors';
import { useI18n } from '../../i18n';
import { NewPasswordField } from './NewPasswordField';
import { RoleCheckboxes } from './RoleCheckboxes';
import { useUserForm } from './useUserForm';

const CREATE_FIELDS = ['username', 'displayName', 'password', 'roles'] as const;
const EDIT_FIELDS = ['displayName', 'roles'] as const;

function DialogFooter({ onCancel, busy, submitLabel, submitTestId }: { onCancel: () => void; busy: boolean; submitLabel: string; submitTestId: string }) {
  const { t } = useI18n();
  return (
    <div className="dialog-footer">
      <button type="button" className="btn btn-secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <BusyButton type="submit" className="btn btn-primary" busy={busy} data-testid={submitTestId}>
        {submitLabel}
      </BusyButton>
    </div>
  );
}

export function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (user: User) => void }) {
  const { t } = useI18n();
  const form = useUserForm(CREATE_FIELDS);
  const { errors } = form;
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [revealed, setRevealed] = useState(false);
  const [roles, setRoles] = useState<Role[]>(['employee']);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (form.busy) return;
    const parsed = CreateUserRequest.safeParse({ username, displayName, password, roles });
    if (!parsed.success) {
      form.reject(zodFieldErrors(t, parsed.error, CREATE_FIELDS));
      return;
    }
    await form.submit(() => api.createUser(parsed.data), onCreated, {
      conflictField: 'username',
      conflictMessage: t('users.error.usernameTaken', { username: parsed.data.username }),
    });
  };

  return (
    <Dialog title={t('users.create.title')} description={t('users.create.description')} onClose={onClose} testId="create-user-dialog">
      <form ref={form.formRef} className="form" onSubmit={onSubmit} noValidate>
        {errors.form && <FormAlert testId="form-error">{errors.form}</FormAlert>}
        <TextField
          label={t('users.field.username')}
          name="username"
          value={username}
          onChange={(event) => form.edit('username', setUsername)(event.target.value)}
          error={errors.username}
          hint={t('users.hint.username')}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
        />
        <DisplayNameField
          value={displayName}
          onChange={form.edit('displayName', setDisplayName)}
          error={errors.displayName}
          hint={t('users.hint.displayName')}
        />
        <NewPasswordField
          label={t('users.field.password')}
          value={password}
          onChange={form.edit('password', setPassword)}
          error={errors.password}
          revealed={revealed}
          onRevealedChange={setRevealed}
        />
        <RoleCheckboxes
          value={roles}
          onChange={form.edit('roles', setRoles)}
          error={errors.roles}
        />
        <DialogFooter onCancel={onClose} busy={form.busy} submitLabel={t('users.create.submit')} submitTestId="create-user-submit" />
      </form>
    </Dialog>
  );
}

function DisplayNameField({ value, onChange, error, hint }: { value: string; onChange: (value: string) => void; error: string | undefined; hint?: string }) {
  const { t } = useI18n();
  return (
    <TextField
      label={t('users.field.displayName')}
      name="displayName"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
      hint={hint}
      autoComplete="off"
      maxLength={LIMITS.maxDisplayNameChars + 20}
    />
  );
}

export function EditUserDialog({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: (user: User) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const form = useUserForm(EDIT_FIELDS);
  const { errors } = form;
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const isSelf = me.user.id === user.id;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (form.busy) return;
    const changes: UpdateUserRequest = {};
    if (displayName.trim() !== user.displayName) changes.displayName = displayName;
    const rolesChanged = roles.length !== user.roles.length || roles.some((role) => !user.roles.includes(role));
    if (rolesChanged) changes.roles = roles;
    const parsed = UpdateUserRequest.safeParse(changes);
    if (!parsed.success) {
      form.reject(zodFieldErrors(t, parsed.error, EDIT_FIELDS));
      return;
    }
    if (Object.keys(parsed.data).length === 0) {
      onClose();
      return;
    }
    await form.submit(() => api.updateUser(user.id, parsed.data), onSaved);
  };

  return (
    <Dialog title={t('users.edit.title')} onClose={onClose} testId="edit-user-dialog">
      <form ref={form.formRef} className="form" onSubmit={onSubmit} noValidate>
        <div className="user-summary">
          <Avatar name={user.displayName} seed={user.username} size={40} />
          <div>
            <div className="user-summary-name">{user.displayName}</div>
            <div className="user-summary-username">@{user.username}</div>
          </div>
        </div>
        {errors.form && <FormAlert testId="form-error">{errors.form}</FormAlert>}
        <DisplayNameField
          value={displayName}
          onChange={form.edit('displayName', setDisplayName)}
          error={errors.displayName}
        />
        <RoleCheckboxes
          value={roles}
          onChange={form.edit('roles', setRoles)}
          error={errors.roles}
          locked={isSelf && user.roles.includes('admin') ? { admin: t('users.hint.ownAdminRole') } : {}}
        />
        <DialogFooter onCancel={onClose} busy={form.busy} submitLabel={t('common.save')} submitTestId="edit-user-submit" />
      </form>
    </Dialog>
  );
}

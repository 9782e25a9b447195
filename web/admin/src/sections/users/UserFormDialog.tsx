/* Create a user, or edit one's display name and roles. Input survives every failure. */
import { useRef, useState, type FormEvent } from 'react';
import { CreateUserRequest, LIMITS, UpdateUserRequest, type Role, type User } from '@switchboard/protocol';
import { api } from '../../api';
import { useMe } from '../../auth';
import { Avatar } from '../../components/Avatar';
import { Dialog } from '../../components/Dialog';
import { FormAlert, PasswordField, TextField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { focusFirstInvalid, formErrorsFromApi, zodFieldErrors, type FieldErrors } from '../../errors';
import { useI18n } from '../../i18n';
import { generatePassword } from './passwords';
import { RoleCheckboxes } from './RoleCheckboxes';

const CREATE_FIELDS = ['username', 'displayName', 'password', 'roles'] as const;
type CreateField = (typeof CREATE_FIELDS)[number];
const EDIT_FIELDS = ['displayName', 'roles'] as const;
type EditField = (typeof EDIT_FIELDS)[number];

function without<F extends string>(errors: FieldErrors<F>, field: F): FieldErrors<F> {
  if (!errors[field] && !errors.form) return errors;
  const { [field]: _removed, form: _form, ...rest } = errors as Record<string, string>;
  return rest as FieldErrors<F>;
}

function SubmitButton({ busy, label, testId }: { busy: boolean; label: string; testId: string }) {
  return (
    <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy} data-testid={testId}>
      {busy && <Spinner />}
      {label}
    </button>
  );
}

export function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (user: User) => void }) {
  const { t } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [revealed, setRevealed] = useState(false);
  const [roles, setRoles] = useState<Role[]>(['employee']);
  const [errors, setErrors] = useState<FieldErrors<CreateField>>({});
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const parsed = CreateUserRequest.safeParse({ username, displayName, password, roles });
    if (!parsed.success) {
      setErrors(zodFieldErrors(t, parsed.error, CREATE_FIELDS));
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const user = await api.createUser(parsed.data);
      onCreated(user);
    } catch (error) {
      setBusy(false);
      setErrors(
        formErrorsFromApi(t, error, CREATE_FIELDS, {
          conflictField: 'username',
          conflictMessage: t('users.error.usernameTaken', { username: parsed.data.username }),
        }),
      );
      focusFirstInvalid(formRef.current);
    }
  };

  return (
    <Dialog title={t('users.create.title')} description={t('users.create.description')} onClose={onClose} testId="create-user-dialog">
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        {errors.form && <FormAlert testId="form-error">{errors.form}</FormAlert>}
        <TextField
          label={t('users.field.username')}
          name="username"
          value={username}
          onChange={(event) => {
            setUsername(event.target.value);
            setErrors((current) => without(current, 'username'));
          }}
          error={errors.username}
          hint={t('users.hint.username')}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
        />
        <TextField
          label={t('users.field.displayName')}
          name="displayName"
          value={displayName}
          onChange={(event) => {
            setDisplayName(event.target.value);
            setErrors((current) => without(current, 'displayName'));
          }}
          error={errors.displayName}
          hint={t('users.hint.displayName')}
          autoComplete="off"
          maxLength={LIMITS.maxDisplayNameChars + 20}
        />
        <PasswordField
          label={t('users.field.password')}
          name="new-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            setErrors((current) => without(current, 'password'));
          }}
          error={errors.password}
          hint={t('users.hint.password')}
          autoComplete="new-password"
          revealed={revealed}
          onRevealedChange={setRevealed}
          actions={
            <button
              type="button"
              className="input-addon"
              onClick={() => {
                setPassword(generatePassword());
                setRevealed(true);
                setErrors((current) => without(current, 'password'));
              }}
              title={t('password.generate')}
            >
              <Icon name="dice" />
              <span className="visually-hidden">{t('password.generate')}</span>
            </button>
          }
        />
        <RoleCheckboxes
          value={roles}
          onChange={(next) => {
            setRoles(next);
            setErrors((current) => without(current, 'roles'));
          }}
          error={errors.roles}
        />
        <div className="dialog-footer">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <SubmitButton busy={busy} label={t('users.create.submit')} testId="create-user-submit" />
        </div>
      </form>
    </Dialog>
  );
}

export function EditUserDialog({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: (user: User) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const formRef = useRef<HTMLFormElement>(null);
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [errors, setErrors] = useState<FieldErrors<EditField>>({});
  const [busy, setBusy] = useState(false);
  const isSelf = me.user.id === user.id;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const changes: UpdateUserRequest = {};
    if (displayName.trim() !== user.displayName) changes.displayName = displayName;
    const rolesChanged = roles.length !== user.roles.length || roles.some((role) => !user.roles.includes(role));
    if (rolesChanged) changes.roles = roles;
    const parsed = UpdateUserRequest.safeParse(changes);
    if (!parsed.success) {
      setErrors(zodFieldErrors(t, parsed.error, EDIT_FIELDS));
      focusFirstInvalid(formRef.current);
      return;
    }
    if (Object.keys(parsed.data).length === 0) {
      onClose();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onSaved(await api.updateUser(user.id, parsed.data));
    } catch (error) {
      setBusy(false);
      setErrors(formErrorsFromApi(t, error, EDIT_FIELDS));
      focusFirstInvalid(formRef.current);
    }
  };

  return (
    <Dialog title={t('users.edit.title')} onClose={onClose} testId="edit-user-dialog">
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        <div className="user-summary">
          <Avatar name={user.displayName} seed={user.username} size={40} />
          <div>
            <div className="user-summary-name">{user.displayName}</div>
            <div className="user-summary-username">@{user.username}</div>
          </div>
        </div>
        {errors.form && <FormAlert testId="form-error">{errors.form}</FormAlert>}
        <TextField
          label={t('users.field.displayName')}
          name="displayName"
          value={displayName}
          onChange={(event) => {
            setDisplayName(event.target.value);
            setErrors((current) => without(current, 'displayName'));
          }}
          error={errors.displayName}
          autoComplete="off"
          maxLength={LIMITS.maxDisplayNameChars + 20}
        />
        <RoleCheckboxes
          value={roles}
          onChange={(next) => {
            setRoles(next);
            setErrors((current) => without(current, 'roles'));
          }}
          error={errors.roles}
          locked={isSelf && user.roles.includes('admin') ? { admin: t('users.hint.ownAdminRole') } : {}}
        />
        <div className="dialog-footer">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <SubmitButton busy={busy} label={t('common.save')} testId="edit-user-submit" />
        </div>
      </form>
    </Dialog>
  );
}

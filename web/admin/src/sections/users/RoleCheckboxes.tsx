import { useId } from 'react';
import { Role } from '@switchboard/protocol';
import { useI18n, type MessageKey } from '../../i18n';
import { FieldError } from '../../components/Field';

export const ROLE_LABEL: Record<Role, MessageKey> = {
  admin: 'role.admin',
  agent: 'role.agent',
  employee: 'role.employee',
};

const ROLE_DESCRIPTION: Record<Role, MessageKey> = {
  admin: 'role.admin.description',
  agent: 'role.agent.description',
  employee: 'role.employee.description',
};

export function RoleChips({ roles }: { roles: readonly Role[] }) {
  const { t } = useI18n();
  const sorted = Role.options.filter((role) => roles.includes(role));
  if (sorted.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="chips">
      {sorted.map((role) => (
        <li key={role} className={`chip chip-${role}`}>
          {t(ROLE_LABEL[role])}
        </li>
      ))}
    </ul>
  );
}

interface RoleCheckboxesProps {
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
  error?: string | undefined;
  /** Roles that cannot be changed here, with the reason shown under them. */
  locked?: Partial<Record<Role, string>>;
}

export function RoleCheckboxes({ value, onChange, error, locked = {} }: RoleCheckboxesProps) {
  const { t } = useI18n();
  const id = useId();
  const toggle = (role: Role, checked: boolean) => {
    const next = new Set(value);
    if (checked) next.add(role);
    else next.delete(role);
    onChange(Role.options.filter((option) => next.has(option)));
  };
  return (
    <fieldset className={`field fieldset${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field-label">{t('users.field.roles')}</legend>
      <div className="role-options">
        {Role.options.map((role) => {
          const lockReason = locked[role];
          return (
            <label key={role} className={`role-option${value.includes(role) ? ' role-option-checked' : ''}`}>
              <input
                type="checkbox"
                name="roles"
                value={role}
                checked={value.includes(role)}
                disabled={lockReason !== undefined}
                onChange={(event) => toggle(role, event.target.checked)}
                aria-invalid={error ? true : undefined}
                aria-labelledby={`${id}-${role}-name`}
                aria-describedby={[`${id}-${role}-desc`, lockReason ? `${id}-${role}-lock` : ''].join(' ').trim()}
                data-testid={`role-${role}`}
              />
              <span className="role-option-text">
                <span id={`${id}-${role}-name`} className="role-option-name">{t(ROLE_LABEL[role])}</span>
                <span id={`${id}-${role}-desc`} className="role-option-description">{t(ROLE_DESCRIPTION[role])}</span>
                {lockReason && (
                  <span id={`${id}-${role}-lock`} className="role-option-lock">
                    {lockReason}
                  </span>
                )}
              </span>
            </label>
          );
        })}
      </div>
      <FieldError id={`${id}-error`} error={error} />
    </fieldset>
  );
}

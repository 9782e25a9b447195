import type { ReactNode } from 'react';
import { PasswordField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { useI18n } from '../../i18n';
import { generatePassword } from './passwords';

interface NewPasswordFieldProps {
  label: string;
  value: string;
  /** Typed or generated. */
  onChange: (value: string) => void;
  error: string | undefined;
  revealed: boolean;
  onRevealedChange: (revealed: boolean) => void;
  /** More buttons after "Generate" (e.g. copy). */
  actions?: ReactNode;
}

/** A password an admin sets for someone: typed, or generated (and then shown, so it can be passed on). */
export function NewPasswordField({ label, value, onChange, error, revealed, onRevealedChange, actions }: NewPasswordFieldProps) {
  const { t } = useI18n();
  return (
    <PasswordField
      label={label}
      name="new-password"
      autoComplete="new-password"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
      hint={t('users.hint.password')}
      revealed={revealed}
      onRevealedChange={onRevealedChange}
      actions={
        <>
          <button
            type="button"
            className="input-addon"
            onClick={() => {
              onChange(generatePassword());
              onRevealedChange(true);
            }}
            title={t('password.generate')}
          >
            <Icon name="dice" />
            <span className="visually-hidden">{t('password.generate')}</span>
          </button>
          {actions}
        </>
      }
    />
  );
}

/* Labelled form controls with hint and error text wired through aria-describedby / aria-invalid. */
import { useId, useState, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { useI18n } from '../i18n';
import { Icon } from './Icon';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode | undefined;
  error?: string | undefined;
  children: ReactNode;
  trailingLabel?: ReactNode;
}

/** The ids of a control's hint and error, for its aria-describedby. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A field's label, with room beside it (e.g. a character count). */
export function FieldLabelRow({ id, label, trailing }: { id: string; label: ReactNode; trailing?: ReactNode }) {
  return (
    <div className="field-label-row">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {trailing}
    </div>
  );
}

function FieldShell({ id, label, hint, error, children, trailingLabel }: FieldShellProps) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <FieldLabelRow id={id} label={label} trailing={trailingLabel} />
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

/** A field's error, announced when it appears; its id is what the control's aria-describedby names. */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="field-error" role="alert">
      <Icon name="alert" size={14} />
      <span>{error}</span>
    </p>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'children'>;

export interface TextFieldProps extends InputProps {
  label: ReactNode;
  hint?: ReactNode | undefined;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  autoFocusOnOpen?: boolean;
}

export function TextField({ label, hint, error, inputRef, autoFocusOnOpen, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input
        {...input}
        ref={inputRef}
        id={id}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        data-autofocus={autoFocusOnOpen ? '' : undefined}
      />
    </FieldShell>
  );
}

export interface PasswordFieldProps extends TextFieldProps {
  /** Extra buttons next to the show/hide toggle (e.g. generate, copy). */
  actions?: ReactNode;
  revealed?: boolean;
  onRevealedChange?: (revealed: boolean) => void;
}

export function PasswordField({
  label,
  hint,
  error,
  inputRef,
  autoFocusOnOpen,
  actions,
  revealed: revealedProp,
  onRevealedChange,
  ...input
}: PasswordFieldProps) {
  const id = useId();
  const { t } = useI18n();
  const [revealedState, setRevealedState] = useState(false);
  const revealed = revealedProp ?? revealedState;
  const setRevealed = (value: boolean) => {
    setRevealedState(value);
    onRevealedChange?.(value);
  };
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <div className="input-group">
        <input
          {...input}
          ref={inputRef}
          id={id}
          type={revealed ? 'text' : 'password'}
          className="input"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          data-autofocus={autoFocusOnOpen ? '' : undefined}
        />
        <button
          type="button"
          className="input-addon"
          onClick={() => setRevealed(!revealed)}
          aria-pressed={revealed}
          title={revealed ? t('password.hide') : t('password.show')}
        >
          <Icon name={revealed ? 'eyeOff' : 'eye'} />
          <span className="visually-hidden">{revealed ? t('password.hide') : t('password.show')}</span>
        </button>
        {actions}
      </div>
    </FieldShell>
  );
}

export interface SelectFieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: ReadonlyArray<{ value: string; label: string }>;
  className?: string;
  testId?: string;
}

export function SelectField({ label, value, onChange, options, className, testId }: SelectFieldProps) {
  const id = useId();
  return (
    <div className={`field field-inline ${className ?? ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} className="select" value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A form-level message: errors that belong to no single field. */
export function FormAlert({ tone = 'error', children, testId }: { tone?: 'error' | 'info' | 'success'; children: ReactNode; testId?: string }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <Icon name={tone === 'error' ? 'alert' : tone === 'success' ? 'check' : 'info'} size={16} />
      <div>{children}</div>
    </div>
  );
}

import type { Ref } from 'react';
import { LIMITS } from '@switchboard/protocol';

interface GroupNameFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  inputRef: Ref<HTMLInputElement>;
  placeholder?: string;
  /** Grows to fill an inline form. */
  grow?: boolean;
}

/** The group name input, limited to what the server accepts. */
export function GroupNameField({ label, value, onChange, inputRef, placeholder, grow = false }: GroupNameFieldProps) {
  return (
    <label className={grow ? 'field grow' : 'field'}>
      <span className="field-label">{label}</span>
      <input ref={inputRef} className="input" value={value} maxLength={LIMITS.maxTitleChars} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

import { Icon } from './Icon';

interface SearchBoxProps {
  id: string;
  /** For screen readers; the placeholder shows what can be searched. */
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  /** Escape empties a filled box. */
  clearOnEscape?: boolean;
  testId: string;
}

/** The search field of a page's toolbar. */
export function SearchBox({ id, label, placeholder, value, onChange, clearOnEscape = false, testId }: SearchBoxProps) {
  return (
    <div className="search-box">
      <Icon name="search" size={16} className="search-icon" />
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className="input search-input"
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (clearOnEscape && event.key === 'Escape' && value) {
            event.preventDefault();
            onChange('');
          }
        }}
        autoComplete="off"
        spellCheck={false}
        data-testid={testId}
      />
    </div>
  );
}

/*
 * A compact multi-select: a button summarising the choice that opens a list of checkboxes.
 * Keyboard: Enter/Space/ArrowDown open it, Tab and arrows move through the options, Space
 * toggles, Escape closes and returns focus to the button; focus leaving it closes it too.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { Icon } from './Icon';

export interface MultiSelectOption {
  value: string;
  label: string;
}

export interface MultiSelectProps {
  /** Accessible name of the button (e.g. "Departments of Alice"). */
  label: string;
  options: readonly MultiSelectOption[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  /** Shown on the button when nothing is chosen. */
  placeholder: string;
  /** Shown in the list when there are no options. */
  emptyText: string;
  invalid?: boolean;
  describedBy?: string | undefined;
  disabled?: boolean;
  testId?: string;
}

export function MultiSelect({ label, options, value, onChange, placeholder, emptyText, invalid, describedBy, disabled, testId }: MultiSelectProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  // The list is position: fixed next to the button, so a scrolling table does not clip it.
  const [position, setPosition] = useState<CSSProperties | null>(null);

  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const rect = buttonRef.current?.getBoundingClientRect();
      if (!rect) return;
      const above = window.innerHeight - rect.bottom < 240 && rect.top > window.innerHeight - rect.bottom;
      const left = Math.max(8, Math.min(rect.left, window.innerWidth - Math.max(rect.width, 220) - 8));
      setPosition(
        above
          ? { left, bottom: window.innerHeight - rect.top + 4, minWidth: rect.width, maxHeight: Math.min(260, rect.top - 16) }
          : { left, top: rect.bottom + 4, minWidth: rect.width, maxHeight: Math.min(260, window.innerHeight - rect.bottom - 16) },
      );
    };
    place();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [open]);

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLInputElement>('input')?.focus({ preventScroll: true });
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const chosen = options.filter((option) => value.includes(option.value));
  const toggle = (optionValue: string, checked: boolean) => {
    const next = new Set(value);
    if (checked) next.add(optionValue);
    else next.delete(optionValue);
    // Keep the options' order.
    onChange(options.map((option) => option.value).filter((candidate) => next.has(candidate)));
  };

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' && !open) {
      event.preventDefault();
      setOpen(true);
    }
  };

  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const inputs = Array.from(listRef.current?.querySelectorAll<HTMLInputElement>('input') ?? []);
    const index = inputs.indexOf(document.activeElement as HTMLInputElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = inputs[(index + (event.key === 'ArrowDown' ? 1 : inputs.length - 1)) % inputs.length];
      next?.focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    }
  };

  return (
    <div
      ref={rootRef}
      className="multiselect"
      onBlur={(event) => {
        if (open && !rootRef.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="multiselect-button"
        aria-expanded={open}
        aria-controls={open ? `${id}-list` : undefined}
        aria-label={`${label}: ${chosen.length ? chosen.map((option) => option.label).join(', ') : placeholder}`}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onClick={() => setOpen(!open)}
        onKeyDown={onButtonKey}
        disabled={disabled}
        data-testid={testId}
      >
        <span className="multiselect-summary">
          {chosen.length === 0 ? (
            <span className="multiselect-placeholder">{placeholder}</span>
          ) : (
            chosen.map((option) => (
              <span key={option.value} className="chip chip-neutral">
                {option.label}
              </span>
            ))
          )}
        </span>
        <Icon name="chevronDown" size={16} className="multiselect-caret" />
      </button>
      {open && (
        <div ref={listRef} id={`${id}-list`} className="multiselect-list" style={position ?? undefined} role="group" aria-label={label} onKeyDown={onListKey}>
          {options.length === 0 ? (
            <p className="multiselect-empty">{emptyText}</p>
          ) : (
            options.map((option) => (
              <label key={option.value} className="multiselect-option">
                <input type="checkbox" checked={value.includes(option.value)} onChange={(event) => toggle(option.value, event.target.checked)} />
                <span>{option.label}</span>
              </label>
            ))
          )}
        </div>
      )}
    </div>
  );
}

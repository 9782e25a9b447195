import type { KeyboardEvent, RefObject } from 'react';

interface RowNavigationOptions {
  contentRef: RefObject<HTMLElement | null>;
  /** The message rows that take focus. */
  rowSelector: string;
  /** Keys pressed inside these are theirs, not the list's. */
  ignoreSelector: string;
  /** Any key but the arrows, Home and End; `row` is the focused message, if any. */
  onOtherKey: (event: KeyboardEvent<HTMLDivElement>, row: HTMLElement | null) => void;
}

/**
 * Keyboard navigation inside a message log (one Tab stop for the whole history): arrows move between
 * messages, Home/End jump; other keys go to `onOtherKey`.
 */
export function useRowNavigation({ contentRef, rowSelector, ignoreSelector, onOtherKey }: RowNavigationOptions) {
  return (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = event.target as HTMLElement;
    if (target.closest(ignoreSelector)) return;
    const rows = [...(contentRef.current?.querySelectorAll<HTMLElement>(rowSelector) ?? [])];
    if (rows.length === 0) return;
    const row = target.closest<HTMLElement>(rowSelector);
    const index = row ? rows.indexOf(row) : rows.length;
    const focusRow = (at: number): void => {
      event.preventDefault();
      rows[Math.max(0, Math.min(rows.length - 1, at))]?.focus();
    };
    switch (event.key) {
      case 'ArrowUp':
        focusRow(index - 1);
        break;
      case 'ArrowDown':
        if (row) focusRow(index + 1);
        break;
      case 'Home':
        if (row) focusRow(0);
        break;
      case 'End':
        if (row) focusRow(rows.length - 1);
        break;
      default:
        onOtherKey(event, row);
    }
  };
}

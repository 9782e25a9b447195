import type { ButtonHTMLAttributes } from 'react';
import { Spinner } from './Spinner';

interface BusyButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'disabled' | 'aria-busy'> {
  busy: boolean;
}

/** A button that shows a spinner and cannot be pressed again while its action runs. */
export function BusyButton({ busy, children, ...button }: BusyButtonProps) {
  return (
    <button {...button} disabled={busy} aria-busy={busy}>
      {busy && <Spinner />}
      {children}
    </button>
  );
}

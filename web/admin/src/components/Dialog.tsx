/*
 * Modal dialog on the native <dialog> element: showModal() puts it in the top layer and makes the
 * page behind it inert. We add a Tab/Shift+Tab loop, initial focus (first [data-autofocus] or the
 * first field), Escape to close (unless `dismissible` is false) and focus return to the opener.
 * Render it only while open: mounting opens it, unmounting closes it.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type SyntheticEvent } from 'react';
import { useI18n } from '../i18n';
import { Icon } from './Icon';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (element) => !element.closest('[inert]') && element.getClientRects().length > 0,
  );
}

export interface DialogProps {
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children?: ReactNode;
  /** Buttons row; rendered at the bottom, right-aligned (stacked on phones). */
  footer?: ReactNode;
  /** When false, Escape and the close button do nothing (e.g. a mandatory re-login). */
  dismissible?: boolean;
  size?: 'small' | 'medium';
  tone?: 'default' | 'danger';
  testId?: string;
}

export function Dialog({
  title,
  description,
  onClose,
  children,
  footer,
  dismissible = true,
  size = 'medium',
  tone = 'default',
  testId,
}: DialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const dismissibleRef = useRef(dismissible);
  dismissibleRef.current = dismissible;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const preferred = dialog.querySelector<HTMLElement>('[data-autofocus]');
    const first = preferred ?? focusables(dialog.querySelector('.dialog-body') ?? dialog)[0] ?? dialog;
    first.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    // Escape: keep React in charge of whether the dialog is shown.
    event.preventDefault();
    if (dismissibleRef.current) onCloseRef.current();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      // Chrome only fires `cancel` once without user activation in between; handle Escape ourselves.
      event.preventDefault();
      event.stopPropagation();
      if (dismissibleRef.current) onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === ref.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size} dialog-tone-${tone}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={onCancel}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      <div className="dialog-header">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {dismissible && (
          <button type="button" className="icon-button" onClick={() => onCloseRef.current()} aria-label={t('common.close')}>
            <Icon name="close" />
          </button>
        )}
      </div>
      {description && (
        <p id={descriptionId} className="dialog-description">
          {description}
        </p>
      )}
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </dialog>
  );
}

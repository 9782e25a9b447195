import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Icon } from './Icon.js';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons for the footer. */
  footer?: ReactNode;
  size?: 'sm' | 'md';
  /** Element (inside the dialog) to focus on open; the first focusable one otherwise. */
  initialFocus?: RefObject<HTMLElement | null>;
  testId?: string;
  /** Without the × button (a question that must be answered with its own buttons; Escape still closes). */
  hideClose?: boolean;
  /** Extra class on the dialog element. */
  className?: string;
}

/**
 * A modal built on the native <dialog>: the browser traps focus, renders the backdrop, closes on
 * Escape (the `cancel` event) and gives focus back to the opener when it closes.
 */
export function Dialog({ title, onClose, children, footer, size = 'md', initialFocus, testId, hideClose = false, className }: DialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    initialFocus?.current?.focus();
    const onCancel = (event: Event): void => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [initialFocus]);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onMouseDown={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === ref.current && !hideClose) onClose();
      }}
    >
      <div className="dialog-content">
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          {hideClose ? null : (
            <button type="button" className="icon-button" onClick={onClose} aria-label={t('dialog.close')}>
              <Icon name="close" />
            </button>
          )}
        </header>
        <div className="dialog-body">{children}</div>
        {footer ? <footer className="dialog-footer">{footer}</footer> : null}
      </div>
    </dialog>
  );
}

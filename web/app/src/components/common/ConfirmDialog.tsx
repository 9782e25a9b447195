import { useRef } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsyncAction } from '../../hooks/useAsyncAction.js';
import { Dialog } from './Dialog.js';
import { FormError } from './FormError.js';

interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** "Are you sure?" with the action's error shown in place if it fails. */
export function ConfirmDialog({ title, body, confirmLabel, danger = false, onConfirm, onClose }: ConfirmDialogProps) {
  const { t } = useI18n();
  const { busy, error, run } = useAsyncAction();
  const cancelRef = useRef<HTMLButtonElement>(null);

  return (
    <Dialog
      title={title}
      onClose={onClose}
      size="sm"
      initialFocus={cancelRef}
      footer={
        <>
          <button type="button" className="button" ref={cancelRef} onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} disabled={busy} onClick={() => void run(onConfirm, onClose)}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{body}</p>
      <FormError message={error} />
    </Dialog>
  );
}

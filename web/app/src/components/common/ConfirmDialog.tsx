import { useRef, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { describeFailure } from '../../lib/errors.js';
import { Dialog } from './Dialog.js';

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(describeFailure(t, failure));
      setBusy(false);
    }
  };

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
          <button type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} disabled={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{body}</p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}

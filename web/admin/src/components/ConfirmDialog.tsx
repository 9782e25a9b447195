/* "Are you sure?" for destructive actions: Cancel has the focus; the action shows progress and errors. */
import { useState, type ReactNode } from 'react';
import { BusyButton } from './BusyButton';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Dialog } from './Dialog';
import { FormAlert } from './Field';

export interface ConfirmDialogProps {
  title: ReactNode;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  tone?: 'danger' | 'default';
  testId?: string;
  confirmTestId?: string;
}

export function ConfirmDialog({ title, body, confirmLabel, onConfirm, onClose, tone = 'danger', testId, confirmTestId }: ConfirmDialogProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setBusy(false);
      setError(describeError(t, failure));
    }
  };
  return (
    <Dialog
      title={title}
      description={body}
      onClose={onClose}
      size="small"
      tone={tone}
      testId={testId}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus="">
            {t('common.cancel')}
          </button>
          <BusyButton type="button" className={`btn ${tone === 'danger' ? 'btn-danger' : 'btn-primary'}`} onClick={() => void confirm()} busy={busy} data-testid={confirmTestId}>
            {confirmLabel}
          </BusyButton>
        </>
      }
    >
      {error && <FormAlert testId="form-error">{error}</FormAlert>}
    </Dialog>
  );
}

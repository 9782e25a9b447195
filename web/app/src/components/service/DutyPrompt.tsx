import { useEffect, useRef, useState } from 'react';
import { useAsyncAction } from '../../hooks/useAsyncAction.js';
import type { PostLoginStepProps } from '../../auth/postLogin.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Dialog } from '../common/Dialog.js';
import { FormError } from '../common/FormError.js';
import { Icon } from '../common/Icon.js';

/** How long to wait for the server's `duty` frame before asking anyway. */
const DUTY_WAIT_MS = 2500;

/**
 * Patent step c: right after an interactive login, an agent is asked "Enable online customer
 * service now?". Yes sends `duty.set available`; No leaves them with plain IM. An agent already on
 * duty (another tab or device said yes) is not asked again.
 */
export function DutyPrompt({ done }: PostLoginStepProps) {
  const { t } = useI18n();
  const desk = useServiceActions();
  const duty = useAppState((state) => state.service.duty);
  const [waited, setWaited] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const yesRef = useRef<HTMLButtonElement>(null);
  const finished = useRef(false);
  const finish = (): void => {
    if (finished.current) return;
    finished.current = true;
    done();
  };
  const finishRef = useRef(finish);
  finishRef.current = finish;
  const onDuty = duty === 'available' || duty === 'away';

  useEffect(() => {
    const timer = window.setTimeout(() => setWaited(true), DUTY_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, []);

  useEffect(() => {
    if (onDuty && !busy) finishRef.current();
  }, [onDuty, busy]);

  if (onDuty || (duty === null && !waited)) return null;

  const yes = (): Promise<void> => run(() => desk.setDuty('available'), finish);

  return (
    <Dialog
      title={t('duty.prompt.title')}
      onClose={finish}
      size="sm"
      initialFocus={yesRef}
      testId="duty-prompt"
      hideClose
      className="duty-prompt"
      footer={
        <>
          <button type="button" className="button" onClick={finish} disabled={busy}>
            {t('duty.prompt.no')}
          </button>
          <button type="button" className="button button-primary" ref={yesRef} onClick={() => void yes()} disabled={busy} aria-busy={busy || undefined}>
            {t('duty.prompt.yes')}
          </button>
        </>
      }
    >
      <div className="duty-prompt-body">
        <span className="duty-prompt-icon" aria-hidden="true">
          <Icon name="headset" size={26} />
        </span>
        <div>
          <p>{t('duty.prompt.body')}</p>
          <p className="muted duty-prompt-hint">{t('duty.prompt.hint')}</p>
        </div>
      </div>
      <FormError message={error} />
    </Dialog>
  );
}

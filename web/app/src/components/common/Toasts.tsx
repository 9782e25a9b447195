import { useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { dismissToast, toastStore } from '../../lib/toasts.js';
import { Icon } from './Icon.js';

export function Toasts() {
  const { t } = useI18n();
  const toasts = useSyncExternalStore(toastStore.subscribe, toastStore.get);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`}>
          <span>{toast.text}</span>
          <button type="button" className="icon-button" aria-label={t('dialog.close')} onClick={() => dismissToast(toast.id)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}

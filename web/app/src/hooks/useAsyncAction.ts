import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.js';
import { describeFailure } from '../lib/errors.js';

/**
 * A form's or dialog's action: busy while it runs; when it fails, its error is worded for the user
 * and the form can be used again.
 */
export function useAsyncAction() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async <T,>(action: () => Promise<T>, onDone: (value: T) => void): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      onDone(await action());
    } catch (failure) {
      setError(describeFailure(t, failure));
      setBusy(false);
    }
  };

  return { busy, error, setError, run };
}

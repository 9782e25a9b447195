import { useRef, useState } from 'react';
import { focusFirstInvalid, formErrorsFromApi, type FieldErrors } from '../../errors';
import { useI18n } from '../../i18n';

type ApiErrorOptions<F extends string> = Parameters<typeof formErrorsFromApi<F>>[3];

/**
 * The state of a user form: its field errors (a field's error and the form's go when it is edited),
 * the busy flag, and a submit that keeps every input when the server refuses.
 */
export function useUserForm<F extends string>(fields: readonly F[]) {
  const { t } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [busy, setBusy] = useState(false);

  const clearError = (field: F): void =>
    setErrors((current) => {
      if (!current[field] && !current.form) return current;
      const { [field]: _removed, form: _form, ...rest } = current as Record<string, string>;
      return rest as FieldErrors<F>;
    });

  /** A setter for a field's value that also takes its error away. */
  const edit =
    <V,>(field: F, set: (value: V) => void) =>
    (value: V): void => {
      set(value);
      clearError(field);
    };

  /** Shows errors found before sending, with focus on the first. */
  const reject = (found: FieldErrors<F>): void => {
    setErrors(found);
    focusFirstInvalid(formRef.current);
  };

  const submit = async <R,>(request: () => Promise<R>, onDone: (result: R) => void, apiErrors?: ApiErrorOptions<F>): Promise<void> => {
    setErrors({});
    setBusy(true);
    try {
      onDone(await request());
    } catch (error) {
      setBusy(false);
      reject(formErrorsFromApi(t, error, fields, apiErrors));
    }
  };

  return { formRef, errors, setErrors, clearError, edit, reject, busy, submit };
}

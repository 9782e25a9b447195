/*
 * Turning failures into words. Clients branch on `code`, never on message text; server-supplied
 * text is shown only where it names a field problem we cannot phrase better ourselves.
 */
import type { ZodError } from 'zod';
import { isApiError, type ApiError } from './api';
import type { I18n, MessageKey } from './i18n';

type T = I18n['t'];

const CODE_MESSAGES: Partial<Record<ApiError['code'], MessageKey>> = {
  network: 'error.network',
  bad_response: 'error.badResponse',
  unauthorized: 'error.unauthorized',
  invalid_credentials: 'error.invalidCredentials',
  account_locked: 'error.accountLocked',
  forbidden: 'error.forbidden',
  origin_forbidden: 'error.originForbidden',
  csrf: 'error.originForbidden',
  not_found: 'error.notFound',
  conflict: 'error.conflict',
  rate_limited: 'error.rateLimited',
  unavailable: 'error.unavailable',
  not_ready: 'error.unavailable',
  internal: 'error.internal',
  bad_request: 'error.badRequest',
};

/** A sentence for any thrown value, in the current language. */
export function describeError(t: T, error: unknown): string {
  if (isApiError(error)) {
    const key = CODE_MESSAGES[error.code];
    let text = key ? t(key) : t('error.unknown');
    // A rule the server enforces without a field (e.g. "you cannot disable yourself"): its words say which.
    if ((error.code === 'bad_request' || error.code === 'conflict') && error.issues.length === 0 && error.message) {
      text = t('error.withDetail', { error: text, detail: error.message });
    }
    // Codes whose sentence already says when to retry (network, rate_limited, account_locked) get no suffix.
    const transient = error.code === 'unavailable' || error.code === 'not_ready' || error.code === 'internal';
    return error.retryable && transient ? `${text} ${t('error.tryAgain')}` : text;
  }
  return t('error.unknown');
}

export type FieldErrors<F extends string> = Partial<Record<F | 'form', string>>;

/** The field a server issue path ("username", "body.roles.0", "/password") points at. */
export function fieldOfPath<F extends string>(path: string | readonly PropertyKey[], fields: readonly F[]): F | null {
  const segments = typeof path === 'string' ? path.split(/[./[\]]+/).filter(Boolean) : path.map(String);
  const relevant = segments[0] === 'body' ? segments.slice(1) : segments;
  const head = relevant[0];
  return head !== undefined && (fields as readonly string[]).includes(head) ? (head as F) : null;
}

/** Field messages for a failed zod parse, phrased per field in the current language. */
export function zodFieldErrors<F extends string>(t: T, error: ZodError, fields: readonly F[]): FieldErrors<F> {
  const result: FieldErrors<F> = {};
  for (const issue of error.issues) {
    const field = fieldOfPath(issue.path, fields);
    const slot = field ?? 'form';
    if (result[slot]) continue;
    result[slot] = localizeIssue(t, field ?? '', issue);
  }
  return result;
}

/** One zod issue in the current language (numbers, lists and formats get their own phrasing). */
export function localizeIssue(t: T, field: string, issue: ZodError['issues'][number]): string {
  if (field === 'username') return t('validation.username');
  if (issue.code === 'invalid_type' && issue.expected === 'number') return t('validation.number');
  if ((issue.code === 'too_small' || issue.code === 'too_big') && (issue.origin === 'number' || issue.origin === 'int')) {
    return issue.code === 'too_small' ? t('validation.numberMin', { min: Number(issue.minimum) }) : t('validation.numberMax', { max: Number(issue.maximum) });
  }
  if (issue.code === 'invalid_type' && (issue.expected === 'int' || issue.expected === 'integer')) return t('validation.integer');
  if (issue.code === 'too_big' && issue.origin === 'array') return t('validation.tooMany', { max: Number(issue.maximum) });
  if (issue.code === 'too_small') {
    const min = Number(issue.minimum);
    if (field === 'roles') return t('validation.rolesRequired');
    if (field === 'password') return t('validation.passwordMin', { min });
    return min <= 1 ? t('validation.required') : t('validation.tooShort', { min });
  }
  if (issue.code === 'too_big') return t('validation.tooLong', { max: Number(issue.maximum) });
  return issue.message;
}

/** Field messages from a server 400 answer's `issues`; unknown paths go to the form. */
export function serverFieldErrors<F extends string>(error: ApiError, fields: readonly F[]): FieldErrors<F> {
  const result: FieldErrors<F> = {};
  for (const issue of error.issues) {
    const slot = fieldOfPath(issue.path, fields) ?? 'form';
    result[slot] = result[slot] ? `${result[slot]} ${issue.message}` : issue.message;
  }
  return result;
}

/**
 * Errors for a form after a failed request: the server's field issues on their fields, a conflict
 * on `conflictField` (e.g. a taken username), anything else as one form-level sentence.
 */
export function formErrorsFromApi<F extends string>(
  t: T,
  error: unknown,
  fields: readonly F[],
  options: { conflictField?: F; conflictMessage?: string } = {},
): FieldErrors<F> {
  if (isApiError(error)) {
    if (error.code === 'bad_request' && error.issues.length > 0) {
      const result = serverFieldErrors(error, fields);
      return Object.keys(result).length > 0 ? result : { form: describeError(t, error) } as FieldErrors<F>;
    }
    if (error.code === 'conflict' && options.conflictField) {
      return { [options.conflictField]: options.conflictMessage ?? describeError(t, error) } as FieldErrors<F>;
    }
  }
  return { form: describeError(t, error) } as FieldErrors<F>;
}

/** Moves focus to the first invalid control in a form, after React has rendered the errors. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]:not([disabled])') ?? form?.querySelector<HTMLElement>('.alert');
    if (target) {
      if (!target.matches('input, select, textarea, button')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  });
}

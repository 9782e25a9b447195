import type { ErrorBody, ErrorCode } from '@switchboard/protocol';

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  bad_frame: 400,
  frame_too_large: 413,
  unknown_type: 400,
  unsupported_version: 400,
  not_ready: 409,
  unauthorized: 401,
  invalid_credentials: 401,
  account_locked: 429,
  forbidden: 403,
  origin_forbidden: 403,
  csrf: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

const RETRYABLE = new Set<ErrorCode>(['rate_limited', 'unavailable', 'account_locked']);

/**
 * The one error type domain code throws. The gateway turns it into an HTTP status or an error
 * frame; `report` says whether it is worth logging as a fault (a 4xx is the caller's problem).
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorBody['issues'],
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  get report(): boolean {
    return this.status >= 500;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

export const errors = {
  badRequest: (message: string, issues?: ErrorBody['issues']) => new AppError('bad_request', message, issues),
  unauthorized: (message = 'Log in first.') => new AppError('unauthorized', message),
  forbidden: (message = 'You do not have permission to do that.') => new AppError('forbidden', message),
  /** Also used for "exists but you may not see it": a non-member learns nothing. */
  notFound: (what = 'That') => new AppError('not_found', `${what} was not found.`),
  conflict: (message: string) => new AppError('conflict', message),
  rateLimited: (message = 'Too many requests; slow down.') => new AppError('rate_limited', message),
  unavailable: (message = 'The service is temporarily unavailable; try again.') => new AppError('unavailable', message),
  internal: (message = 'Something went wrong on our side.') => new AppError('internal', message),
};

/** Wraps anything thrown into an AppError; unknown failures become `internal` (and are reported). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isStoreUnavailable(error)) return errors.unavailable();
  return errors.internal();
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003', 'SQLITE_BUSY']);

/** True for errors that mean the database is (temporarily) unreachable rather than a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message);
}

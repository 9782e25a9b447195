import { ErrorCode } from '@switchboard/protocol';
import type { MessageKey } from '../i18n/en.js';
import type { Translate } from '../i18n/translate.js';

/** A failure as the UI sees it: a protocol error code, or "network" when no answer came back. */
export interface Failure {
  code: ErrorCode | 'network';
  message: string;
  retryable: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function fromBody(body: unknown): Failure | null {
  if (!isRecord(body)) return null;
  const inner = isRecord(body.error) ? body.error : body;
  const parsed = ErrorCode.safeParse(inner.code);
  if (!parsed.success) return null;
  return {
    code: parsed.data,
    message: typeof inner.message === 'string' ? inner.message : parsed.data,
    retryable: inner.retryable === true,
  };
}

/**
 * Reads any thrown value: the SDK's ApiError ({status, body: {code, message, retryable}}), a socket
 * error frame's body, or a fetch TypeError (network down).
 */
export function toFailure(error: unknown): Failure {
  if (isRecord(error)) {
    // The SDK's ApiError with status 0 never got an answer: the network is down.
    if (error.status === 0) return { code: 'network', message: error instanceof Error ? error.message : 'network error', retryable: true };
    const found = fromBody(error.body) ?? fromBody(error.error) ?? fromBody(error);
    if (found) return found;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'network', message, retryable: true };
}

const GENERAL: Partial<Record<Failure['code'], MessageKey>> = {
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  rate_limited: 'error.rate_limited',
  unavailable: 'error.unavailable',
  network: 'error.network',
};

/** A sentence for the user about a failed action. */
export function describeFailure(t: Translate, error: unknown): string {
  const failure = toFailure(error);
  const key = GENERAL[failure.code];
  return key ? t(key) : t('error.generic', { message: failure.message });
}

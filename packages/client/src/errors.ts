import type { ErrorBody, ErrorCode } from '@switchboard/protocol';

/** Status 0 marks an ApiError that never got an HTTP answer (network failure, unreadable response). */
export const NO_STATUS = 0;

/**
 * An HTTP call to `/api` failed. `body` is the server's `{ error }` when it sent one; otherwise a body
 * made up by the client with the closest code (so UIs handle one shape).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }

  get code(): ErrorCode {
    return this.body.code;
  }

  get retryable(): boolean {
    return this.body.retryable;
  }
}

/**
 * A WebSocket request (send, edit, read, …) was answered with an `error` frame, or was refused
 * locally because the server would refuse it the same way (an invalid body fails before it is queued).
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly body: ErrorBody;

  constructor(body: ErrorBody) {
    super(body.message);
    this.body = body;
  }

  get code(): ErrorCode {
    return this.body.code;
  }

  get retryable(): boolean {
    return this.body.retryable;
  }
}

/**
 * Failures that happen in the client, not on the server:
 * - `timeout`: no answer in time (the server may still have applied the request);
 * - `connection_lost`: the socket went away after the request was sent (it may have been applied);
 * - `closed`: the client was closed (`close()`, 4001 unauthorized, 4002 session ended, 4000 version).
 */
export type ClientErrorCode = 'timeout' | 'connection_lost' | 'closed';

export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: ClientErrorCode;
  /** The WebSocket close code when `code` is `closed` because the server closed us for good. */
  readonly closeCode: number | undefined;

  constructor(code: ClientErrorCode, message: string, closeCode?: number) {
    super(message);
    this.code = code;
    this.closeCode = closeCode;
  }

  /** Timeouts and lost connections may succeed when tried again; a closed client will not. */
  get retryable(): boolean {
    return this.code !== 'closed';
  }
}

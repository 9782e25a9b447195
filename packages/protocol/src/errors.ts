import { z } from 'zod';

/**
 * Stable, machine-readable error ids. The HTTP status and WebSocket handling of each lives in the
 * server's errors module; clients branch on `code`, never on the message text.
 */
export const ErrorCode = z.enum([
  'bad_request',
  'bad_frame',
  'frame_too_large',
  'unknown_type',
  'unsupported_version',
  'not_ready',
  'unauthorized',
  'invalid_credentials',
  'account_locked',
  'forbidden',
  'origin_forbidden',
  'csrf',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** True when the same request may succeed later unchanged (store down, rate limit). */
  retryable: z.boolean(),
  /** Which fields failed validation, when `code` is bad_request or bad_frame. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

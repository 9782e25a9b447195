import { ClientFrame, type ErrorBody } from '@switchboard/protocol';

/**
 * Checks a frame against the protocol before it is sent or queued. The server would refuse an invalid
 * frame with bad_frame anyway; refusing it here fails fast and keeps it out of the offline outbox.
 *
 * @returns undefined when valid, otherwise the error body the server would have answered.
 */
export function frameProblem(frame: unknown): ErrorBody | undefined {
  const result = ClientFrame.safeParse(frame);
  if (result.success) return undefined;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  return {
    code: 'bad_request',
    message: `invalid request: ${issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')}`,
    retryable: false,
    issues,
  };
}

/** Codes worth retrying unchanged even if a server forgot to set `retryable`. */
const RETRYABLE_CODES: ReadonlySet<ErrorBody['code']> = new Set(['unavailable', 'rate_limited']);

export function isRetryable(body: ErrorBody): boolean {
  return body.retryable || RETRYABLE_CODES.has(body.code);
}

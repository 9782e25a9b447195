import type { z } from 'zod';
import { errors } from '../../errors.js';
import { findUnsafeText } from '../textSafety.js';

/** Parses untrusted input with a schema; a failure is a bad_request listing each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const unsafe = findUnsafeText(input);
  if (unsafe) throw errors.badRequest('The request is not valid.', [unsafe]);
  const result = schema.safeParse(input === undefined ? {} : input);
  if (result.success) return result.data;
  throw errors.badRequest(
    'The request is not valid.',
    result.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

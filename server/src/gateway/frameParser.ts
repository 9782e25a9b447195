import type { z } from 'zod';
import { AppError } from '../errors.js';
import { findUnsafeText } from './textSafety.js';

export type ParsedFrame<T> = { ok: true; frame: T } | { ok: false; ref: string | undefined; error: AppError };

/**
 * Validates one WebSocket text frame at the edge, in order: text not binary, JSON, a known
 * `type`, no unsafe text (NUL, lone surrogates), then the frame's schema. A failure names the
 * frame's `ref` when it has a plausible one, so even an invalid frame's error can be correlated.
 */
export function parseFrame<S extends z.ZodType>(data: string | null, schema: S, knownTypes: readonly string[]): ParsedFrame<z.output<S>> {
  const fail = (ref: string | undefined, error: AppError): ParsedFrame<z.output<S>> => ({ ok: false, ref, error });
  if (data === null) return fail(undefined, new AppError('bad_frame', 'Frames are JSON text, not binary.'));
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return fail(undefined, new AppError('bad_frame', 'A frame must be valid JSON.'));
  }
  const ref = refOf(value);
  const type = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !knownTypes.includes(type)) {
    return fail(ref, new AppError('unknown_type', typeof type === 'string' ? `Unknown frame type "${type.slice(0, 40)}".` : 'A frame needs a string "type".'));
  }
  const unsafe = findUnsafeText(value);
  if (unsafe) return fail(ref, new AppError('bad_frame', `Invalid ${type} frame.`, [unsafe]));
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return fail(ref, new AppError('bad_frame', `Invalid ${type} frame.`, issues));
  }
  return { ok: true, frame: result.data };
}

function refOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { ref?: unknown }).ref;
  return typeof ref === 'string' && ref.length > 0 && ref.length <= 64 ? ref : undefined;
}

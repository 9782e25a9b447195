import { MAX_MESSAGE_CHARS, MAX_NAME_CHARS, type ClientFrameOf, type PreChatField } from '../shared/protocol.js';
import type { MessageKey } from './i18n.js';

/*
 * The pre-chat and offline forms, as data: which fields to show and how to validate them.
 * The server validates again; this only fails early with a helpful message next to the field.
 */

export interface FormField {
  key: string;
  label: string;
  kind: 'text' | 'email' | 'textarea';
  required: boolean;
  max: number;
}

export interface FieldError {
  key: MessageKey;
  values?: Record<string, string | number>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Pre-chat field keys that map to v.start's own properties instead of `fields`. */
const MESSAGE_KEYS = new Set(['message', 'question']);

const maxFor = (field: PreChatField): number => {
  if (field.key === 'name') return MAX_NAME_CHARS;
  if (field.key === 'email' || field.kind === 'email') return 254;
  if (MESSAGE_KEYS.has(field.key)) return MAX_MESSAGE_CHARS;
  return 2000;
};

export function preChatFormFields(fields: readonly PreChatField[]): FormField[] {
  return fields.map((field) => ({ key: field.key, label: field.label, kind: field.kind, required: field.required, max: maxFor(field) }));
}

export function validateField(field: FormField, raw: string): FieldError | null {
  const value = raw.trim();
  if (!value) return field.required ? { key: 'form.required' } : null;
  if (value.length > field.max) return { key: 'form.tooLong', values: { max: field.max } };
  if (field.kind === 'email' && !EMAIL.test(value)) return { key: 'form.email' };
  return null;
}

/** Every field's error, by field key; empty when the form is valid. */
export function validateForm(fields: readonly FormField[], values: Record<string, string>): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const field of fields) {
    const error = validateField(field, values[field.key] ?? '');
    if (error) errors[field.key] = error;
  }
  return errors;
}

export type StartRequest = Omit<ClientFrameOf<'v.start'>, 'type' | 'ref' | 'clientId'>;

/**
 * Maps pre-chat answers to a v.start: `name` and `email` (or the first email field) become the
 * visitor's name and email, `message` / `question` the first message, the rest go in `fields`.
 */
export function startRequest(fields: readonly PreChatField[], values: Record<string, string>, departmentId?: string): StartRequest {
  const request: StartRequest = {};
  const extra: Record<string, string> = {};
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    if (!value) continue;
    if (field.key === 'name') request.name = value;
    else if ((field.key === 'email' || field.kind === 'email') && request.email === undefined) request.email = value;
    else if (MESSAGE_KEYS.has(field.key) && request.message === undefined) request.message = value;
    else extra[field.key] = value;
  }
  if (Object.keys(extra).length > 0) request.fields = extra;
  if (departmentId) request.departmentId = departmentId;
  return request;
}

/** The fixed fields of the "leave a message" form. */
export function offlineFormFields(label: (key: MessageKey) => string): FormField[] {
  return [
    { key: 'name', label: label('offline.name'), kind: 'text', required: true, max: MAX_NAME_CHARS },
    { key: 'email', label: label('offline.email'), kind: 'email', required: true, max: 254 },
    { key: 'message', label: label('offline.message'), kind: 'textarea', required: true, max: MAX_MESSAGE_CHARS },
  ];
}

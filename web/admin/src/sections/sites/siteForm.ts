/* The site editor's form state, its request bodies and its errors (pure functions). */
import type { ZodError } from 'zod';
import type { PreChatField, Site } from '@switchboard/protocol';
import type { ApiError } from '../../api';
import { describeError, localizeIssue } from '../../errors';
import type { I18n } from '../../i18n';

type T = I18n['t'];

export const DEFAULT_COLOR = '#2563eb';
export const COLOR_PRESETS = ['#2563eb', '#4f46e5', '#7c3aed', '#db2777', '#dc2626', '#ea580c', '#16a34a', '#0d9488', '#0f172a'] as const;

export interface FieldDraft extends PreChatField {
  /** Stable React key while the admin reorders rows. */
  uid: string;
  /** False while the key follows the label automatically. */
  keyEdited: boolean;
}

export interface SiteDraft {
  name: string;
  siteKey: string;
  origins: string;
  color: string;
  greeting: string;
  preChatEnabled: boolean;
  fields: FieldDraft[];
}

export const SITE_FIELDS = ['name', 'siteKey', 'allowedOrigins', 'color', 'greeting', 'preChatEnabled', 'preChatFields'] as const;
export type SiteField = (typeof SITE_FIELDS)[number];
export type RowField = 'key' | 'label' | 'kind' | 'required';

export interface SiteErrors {
  fields: Partial<Record<SiteField | 'form', string>>;
  rows: Record<number, Partial<Record<RowField, string>>>;
}

export const NO_ERRORS: SiteErrors = { fields: {}, rows: {} };

let uidCounter = 0;
export const newUid = () => `f${(uidCounter += 1)}`;

export function draftOf(site: Site | null, greeting: string): SiteDraft {
  if (!site) return { name: '', siteKey: '', origins: '', color: DEFAULT_COLOR, greeting, preChatEnabled: false, fields: [] };
  return {
    name: site.name,
    siteKey: site.siteKey,
    origins: site.allowedOrigins.join('\n'),
    color: site.color,
    greeting: site.greeting,
    preChatEnabled: site.preChatEnabled,
    fields: site.preChatFields.map((field) => ({ ...field, uid: newUid(), keyEdited: true })),
  };
}

/** A field key from a label: "Order number" → "order_number"; must start with a letter. */
export function keyFromLabel(label: string, taken: readonly string[]): string {
  const base =
    label
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+/, '')
      .replace(/_+$/, '')
      .slice(0, 28) || 'field';
  let key = base;
  for (let n = 2; taken.includes(key); n += 1) key = `${base}_${n}`;
  return key;
}

/** One origin per line; blank lines dropped; a trailing slash after a bare origin removed. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      if (line === 'self') return line;
      try {
        const url = new URL(line);
        if (`${url.origin}/` === line) return url.origin;
      } catch {
        // Left as typed; the schema says what is wrong.
      }
      return line;
    });
}

export function requestBody(draft: SiteDraft) {
  return {
    name: draft.name,
    allowedOrigins: parseOrigins(draft.origins),
    color: draft.color,
    greeting: draft.greeting,
    preChatEnabled: draft.preChatEnabled,
    preChatFields: draft.fields.map(({ key, label, kind, required }) => ({ key, label: label.trim(), kind, required })),
  };
}

/** A draft compared with what was saved, ignoring React keys. */
export function sameDraft(a: SiteDraft, b: SiteDraft): boolean {
  const strip = (draft: SiteDraft) => JSON.stringify({ ...requestBody(draft), siteKey: draft.siteKey });
  return strip(a) === strip(b);
}

type PathIssue = { path: readonly PropertyKey[]; text: string };

function segmentsOf(path: string | readonly PropertyKey[]): PropertyKey[] {
  const segments = typeof path === 'string' ? path.split(/[./[\]]+/).filter(Boolean) : [...path];
  return segments[0] === 'body' ? segments.slice(1) : segments;
}

function place(t: T, issues: readonly PathIssue[], origins: readonly string[]): SiteErrors {
  const result: SiteErrors = { fields: {}, rows: {} };
  for (const issue of issues) {
    const [head, index, leaf] = issue.path.map(String);
    if (head === 'allowedOrigins' && index !== undefined && /^\d+$/.test(index)) {
      const line = Number(index);
      const message = t('sites.error.origin', { line: line + 1, value: origins[line] ?? '' });
      result.fields.allowedOrigins = result.fields.allowedOrigins ? `${result.fields.allowedOrigins} ${message}` : message;
      continue;
    }
    if (head === 'preChatFields' && index !== undefined && /^\d+$/.test(index) && (leaf === 'key' || leaf === 'label' || leaf === 'kind' || leaf === 'required')) {
      const row = (result.rows[Number(index)] ??= {});
      row[leaf] ??= issue.text;
      continue;
    }
    const field = (SITE_FIELDS as readonly string[]).includes(head ?? '') ? (head as SiteField) : 'form';
    result.fields[field] ??= issue.text;
  }
  return result;
}

/** Errors for a failed client-side parse, in the console's language. */
export function zodSiteErrors(t: T, error: ZodError, origins: readonly string[]): SiteErrors {
  return place(
    t,
    error.issues.map((issue) => {
      const segments = segmentsOf(issue.path);
      const [head, , leaf] = segments.map(String);
      let text: string;
      if (head === 'preChatFields' && leaf === 'key') text = t('sites.error.fieldKey');
      else if (head === 'color') text = t('sites.error.color');
      else if (head === 'siteKey') text = t('sites.error.siteKey');
      else text = localizeIssue(t, head ?? '', issue);
      return { path: segments, text };
    }),
    origins,
  );
}

/** Errors for a failed request: the server's field issues where they belong, else one sentence. */
export function apiSiteErrors(t: T, error: unknown, origins: readonly string[]): SiteErrors {
  const api = error as Partial<ApiError>;
  if (api?.code === 'bad_request' && api.issues && api.issues.length > 0) {
    return place(t, api.issues.map((issue) => ({ path: segmentsOf(issue.path), text: issue.message })), origins);
  }
  if (api?.code === 'conflict') return { fields: { siteKey: describeError(t, error) }, rows: {} };
  return { fields: { form: describeError(t, error) }, rows: {} };
}

/** Duplicate keys among the pre-chat fields, as row errors. */
export function duplicateKeyErrors(t: T, fields: readonly FieldDraft[]): SiteErrors['rows'] {
  const rows: SiteErrors['rows'] = {};
  const seen = new Map<string, number>();
  fields.forEach((field, index) => {
    if (seen.has(field.key)) rows[index] = { key: t('sites.error.duplicateKey', { key: field.key }) };
    else seen.set(field.key, index);
  });
  return rows;
}

/** Black or white text, whichever reads better on `hex` (the widget's own rule, so the preview matches). */
export function textOn(hex: string): '#ffffff' | '#111827' {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return '#ffffff';
  const [r, g, b] = match.slice(1).map((part) => {
    const c = parseInt(part, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.062 ? '#ffffff' : '#111827';
}

export function embedSnippet(origin: string, siteKey: string): string {
  return `<script src="${origin}/widget/loader.js" data-site-key="${siteKey}" async></script>`;
}

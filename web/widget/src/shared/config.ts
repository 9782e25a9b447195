import type { WidgetConfig } from './protocol.js';

export const DEFAULT_COLOR = '#2563eb';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Light structural check of a WidgetConfig from the server (the widget does not ship zod).
 * Enough to never crash on a malformed answer; text fields are rendered as text anyway.
 */
export function isWidgetConfig(value: unknown): value is WidgetConfig {
  if (!isObject(value)) return false;
  return (
    typeof value.siteKey === 'string' &&
    typeof value.name === 'string' &&
    typeof value.color === 'string' &&
    typeof value.greeting === 'string' &&
    typeof value.preChatEnabled === 'boolean' &&
    typeof value.online === 'boolean' &&
    Array.isArray(value.preChatFields) &&
    value.preChatFields.every(
      (field) =>
        isObject(field) &&
        typeof field.key === 'string' &&
        typeof field.label === 'string' &&
        (field.kind === 'text' || field.kind === 'email' || field.kind === 'textarea') &&
        typeof field.required === 'boolean',
    ) &&
    Array.isArray(value.departments) &&
    value.departments.every((department) => isObject(department) && typeof department.id === 'string' && typeof department.name === 'string')
  );
}

/** The site colour if it is a plain #rrggbb, else the default: it goes into CSS. */
export function safeColor(color: string | undefined | null): string {
  return color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : DEFAULT_COLOR;
}

/** Black or white, whichever reads better on the given #rrggbb background (WCAG relative luminance). */
export function contrastText(color: string): '#ffffff' | '#111827' {
  const hex = safeColor(color);
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white: 1.05 / (L + 0.05); with near-black (#111827, L≈0.012): (L + 0.05) / 0.062.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.062 ? '#ffffff' : '#111827';
}

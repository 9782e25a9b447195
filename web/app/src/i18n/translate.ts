import type { MessageKey, Messages } from './en.js';

export type TranslateParams = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

const PLACEHOLDER = /\{(\w+)\}/g;

/** Looks a key up in a catalogue and fills `{name}` placeholders. Unknown placeholders stay visible. */
export function makeTranslate(messages: Messages): Translate {
  return (key, params) => {
    const template = messages[key];
    if (!params) return template;
    return template.replace(PLACEHOLDER, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };
}

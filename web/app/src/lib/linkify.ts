/**
 * A piece of message text: plain text, an http(s) link, or a link inside this app (the CS server's
 * "ask a colleague" message points at `/app/#/visitors/<chatId>`), opened in place.
 */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'internal'; text: string; href: string };

/** `/app/#/visitors/<uuid>`, as the CS server writes it into help requests. */
const INTERNAL_PATTERN = /(?<![\w/.:])\/app\/#\/visitors\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/gi;

/** Stops at whitespace, quotes, angle brackets and full-width (CJK) punctuation. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"，。！？、；：（）【】「」《》]+/gi;
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '»', '”', '’', ']', '}']);

function count(text: string, char: string): number {
  let total = 0;
  for (const c of text) if (c === char) total += 1;
  return total;
}

/** Drops punctuation that ends a sentence rather than the URL; a ")" stays when it closes a "(" in the URL. */
function trimUrl(candidate: string): string {
  let url = candidate;
  while (url.length > 0) {
    const last = url.at(-1) ?? '';
    if (last === ')' && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    else if (TRAILING_PUNCTUATION.has(last)) url = url.slice(0, -1);
    else break;
  }
  return url;
}

function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits text into plain runs, in-app links and http(s) links. Nothing here ever becomes HTML. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(INTERNAL_PATTERN)) {
    if (match.index > last) parts.push(...linkifyUrls(text.slice(last, match.index)));
    parts.push({ kind: 'internal', text: match[0], href: match[0].slice('/app/'.length) });
    last = match.index + match[0].length;
  }
  if (last === 0) return linkifyUrls(text);
  if (last < text.length) parts.push(...linkifyUrls(text.slice(last)));
  return parts;
}

function linkifyUrls(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (!href || url.length === 0) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

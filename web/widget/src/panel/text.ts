/*
 * Plain-text helpers for message bodies. Bodies are never parsed as HTML: the renderer turns the
 * pieces below into text nodes and, for web links only, <a> elements whose text is the URL.
 */

export interface TextPiece {
  text: string;
  /** Set only for http(s) URLs. */
  href?: string;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}'"。，；：！？）】]+$/;

/** Splits a body into text and http(s) link pieces. Anything else (javascript:, data:…) stays text. */
export function splitLinks(body: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const start = match.index;
    let url = match[0];
    const trailing = TRAILING.exec(url);
    if (trailing) url = url.slice(0, url.length - trailing[0].length);
    if (!safeHref(url)) continue;
    if (start > last) pieces.push({ text: body.slice(last, start) });
    pieces.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < body.length) pieces.push({ text: body.slice(last) });
  return pieces;
}

/** True for an absolute http(s) URL the browser parses. */
export function safeHref(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The first letter of a name, for an avatar. */
export function initial(name: string): string {
  const first = [...name.trim()][0];
  return first ? first.toUpperCase() : '?';
}

/** Cuts a string to at most `max` UTF-16 code units (for fields the server limits). */
export const clip = (value: string, max: number): string => (value.length > max ? value.slice(0, max) : value);

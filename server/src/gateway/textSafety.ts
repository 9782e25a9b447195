/**
 * Text the stores cannot keep faithfully: NUL (PostgreSQL refuses it in text columns, so a stored
 * NUL failed the whole commit batch with a 500 / a retryable `unavailable`) and unpaired UTF-16
 * surrogates (silently replaced by U+FFFD on the way to UTF-8, so what was acknowledged is not
 * what was stored). Every edge refuses them with a typed error before anything is stored.
 * Bidi overrides, zero-width characters and other unusual but well-formed text are allowed: they
 * have honest uses (Arabic, Hebrew, emoji sequences) and the clients render all text as text.
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Most nodes inspected; a bigger input is refused (bodies and frames are size-limited well below this). */
const MAX_NODES = 200_000;

export function isUnsafeText(text: string): boolean {
  return UNSAFE_TEXT.test(text);
}

/**
 * The first string or key in a parsed JSON value that holds NUL or a lone surrogate, as an issue
 * naming its path; undefined when the value is clean. Iterative, so deep nesting cannot overflow
 * the stack.
 */
export function findUnsafeText(value: unknown): { path: string; message: string } | undefined {
  const pending: [unknown, string][] = [[value, '']];
  let visited = 0;
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [unknown, string];
    if (++visited > MAX_NODES) return { path, message: 'the input is too complex' };
    if (typeof current === 'string') {
      if (isUnsafeText(current)) return { path, message: 'text must not contain NUL characters or unpaired surrogates' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push([item, join(path, String(index))]));
      continue;
    }
    for (const key of Object.keys(current)) {
      if (isUnsafeText(key)) return { path, message: 'field names must not contain NUL characters or unpaired surrogates' };
      pending.push([(current as Record<string, unknown>)[key], join(path, key)]);
    }
  }
  return undefined;
}

function join(path: string, key: string): string {
  if (path.length > 200) return path;
  return path ? `${path}.${key}` : key;
}

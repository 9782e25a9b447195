/**
 * A client id for idempotent resends: 32 hex characters. Uses getRandomValues, which (unlike
 * crypto.randomUUID) also works on host pages served over plain http.
 */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0');
  return id;
}

import { z } from 'zod';

/** Keys that would reach Object.prototype if used as a map key; never valid as an id. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Server-generated ids are UUIDs. */
export const EntityId = z.uuid();
export type EntityId = z.infer<typeof EntityId>;

/** A client-generated id, unique per sender, that makes a resent message idempotent. */
export const ClientId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId must be 8-64 characters of A-Z a-z 0-9 _ -')
  .refine((value) => !FORBIDDEN_KEYS.has(value), 'clientId is a reserved word');
export type ClientId = z.infer<typeof ClientId>;

/** Opaque correlation string a client may put on a frame; the server echoes it in the answer. */
export const Ref = z.string().min(1).max(64);

/** A per-conversation sequence number. Sequence 1 is the first message; 0 means "nothing yet". */
export const Seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * Creates a client id, usable in browsers and Node: 12 hex digits of epoch milliseconds, then 20
 * random hex digits. Ids made in time order land at the right edge of the server's idempotency
 * index (client id, sender), so storing a message dirties no random index page there
 * (docs/performance.md, section 19). Uniqueness rests on the 80 random bits.
 */
export function newClientId(): string {
  let id = Date.now().toString(16).padStart(12, '0');
  for (const byte of crypto.getRandomValues(new Uint8Array(10))) id += byte.toString(16).padStart(2, '0');
  return id;
}

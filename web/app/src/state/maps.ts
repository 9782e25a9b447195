import type { LoadStatus } from './types.js';

/** Immutable map updates for the reducers: a new map, or the same one when nothing changes. */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  const next = new Map(map);
  next.set(key, value);
  return next;
}

export function withoutEntry<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

type OutgoingQueues<T> = ReadonlyMap<string, readonly T[]>;

/** The unacknowledged messages of `key` with `message` appended, or in place of the one with its client id. */
export function withOutgoing<T extends { clientId: string }>(queues: OutgoingQueues<T>, key: string, message: T): OutgoingQueues<T> {
  const list = queues.get(key) ?? [];
  const index = list.findIndex((item) => item.clientId === message.clientId);
  const next = index === -1 ? [...list, message] : list.map((item, at) => (at === index ? message : item));
  return withEntry(queues, key, next);
}

/** The queues without that message; an emptied queue goes away. */
export function withoutOutgoing<T extends { clientId: string }>(queues: OutgoingQueues<T>, key: string, clientId: string): OutgoingQueues<T> {
  const list = queues.get(key);
  if (!list?.some((item) => item.clientId === clientId)) return queues;
  const next = list.filter((item) => item.clientId !== clientId);
  return next.length > 0 ? withEntry(queues, key, next) : withoutEntry(queues, key);
}

/** A history's newest page is being fetched; one already shown stays shown. */
export function loadingStatus(status: LoadStatus): LoadStatus {
  return status === 'ready' ? 'ready' : 'loading';
}

/** Fetching the newest page failed; one already shown stays shown. */
export function failedStatus(status: LoadStatus): LoadStatus {
  return status === 'ready' ? 'ready' : 'error';
}

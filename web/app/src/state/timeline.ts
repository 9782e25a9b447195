import type { Message } from '@switchboard/protocol';
import type { MessageChunk, Timeline } from './types.js';

/** Messages per chunk before a new chunk starts. History pages become chunks of their own. */
const CHUNK_SIZE = 100;

let nextChunkKey = 1;
function chunk(items: readonly Message[]): MessageChunk {
  return { key: nextChunkKey++, items };
}

export const EMPTY_TIMELINE: Timeline = { chunks: [], status: 'idle', hasOlder: true, olderStatus: 'idle' };

function revision(message: Message): number {
  return Math.max(message.deletedAt ?? 0, message.editedAt ?? 0);
}

/** Of two copies of the same message, the later revision wins (an old `message` frame must not undo an edit). */
function fresher(current: Message, incoming: Message): Message {
  if (current.id !== incoming.id) return incoming;
  return revision(incoming) >= revision(current) ? incoming : current;
}

export function firstMessage(timeline: Timeline): Message | undefined {
  return timeline.chunks[0]?.items[0];
}

export function lastMessage(timeline: Timeline): Message | undefined {
  return timeline.chunks.at(-1)?.items.at(-1);
}

export function messageCount(timeline: Timeline): number {
  let count = 0;
  for (const { items } of timeline.chunks) count += items.length;
  return count;
}

/** Index of the first item with seq >= target (items sorted by seq). */
function lowerBound(items: readonly Message[], seq: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((items[mid] as Message).seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the chunk a seq belongs in: the last chunk whose first seq is <= seq (0 if none). */
function chunkIndexFor(chunks: readonly MessageChunk[], seq: number): number {
  let low = 0;
  let high = chunks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if ((chunks[mid]?.items[0]?.seq ?? 0) <= seq) low = mid;
    else high = mid - 1;
  }
  return low;
}

function replaceChunk(timeline: Timeline, index: number, items: readonly Message[]): Timeline {
  const chunks = timeline.chunks.slice();
  const current = chunks[index];
  chunks[index] = { key: current ? current.key : nextChunkKey++, items };
  return { ...timeline, chunks };
}

/**
 * Adds or updates one message, keeping seq order and one copy per message. The usual case, a new
 * message after the last, is an append to the last chunk. Messages older than the loaded range are
 * ignored while older pages remain unloaded: they would leave a hole in the history.
 */
export function upsertMessage(timeline: Timeline, message: Message): Timeline {
  const { chunks } = timeline;
  const last = chunks.at(-1);
  const newest = last?.items.at(-1);
  if (!last || !newest) return { ...timeline, chunks: [chunk([message])] };
  if (message.seq > newest.seq) {
    if (last.items.length >= CHUNK_SIZE) return { ...timeline, chunks: [...chunks, chunk([message])] };
    return replaceChunk(timeline, chunks.length - 1, [...last.items, message]);
  }
  const oldest = chunks[0]?.items[0];
  if (oldest && message.seq < oldest.seq && timeline.hasOlder) return timeline;
  const index = chunkIndexFor(chunks, message.seq);
  const items = chunks[index]?.items ?? [];
  const at = lowerBound(items, message.seq);
  const existing = items[at];
  if (existing && existing.seq === message.seq) {
    const kept = fresher(existing, message);
    if (kept === existing) return timeline;
    const next = items.slice();
    next[at] = kept;
    return replaceChunk(timeline, index, next);
  }
  const next = items.slice();
  next.splice(at, 0, message);
  return replaceChunk(timeline, index, next);
}

export function upsertMessages(timeline: Timeline, messages: readonly Message[]): Timeline {
  let result = timeline;
  for (const message of messages) result = upsertMessage(result, message);
  return result;
}

function sortedUnique(messages: readonly Message[]): Message[] {
  const sorted = messages.slice().sort((a, b) => a.seq - b.seq);
  return sorted.filter((message, index) => index === 0 || (sorted[index - 1] as Message).seq !== message.seq);
}

/**
 * The newest page arrived (first open, or a refresh after a reconnect). If it reaches back to the
 * loaded range the two are joined; otherwise the loaded range is stale and the page replaces it.
 */
export function applyNewestPage(timeline: Timeline, messages: readonly Message[], hasMore: boolean): Timeline {
  const page = sortedUnique(messages);
  const pageFirst = page[0];
  const loadedLast = lastMessage(timeline);
  const joins = timeline.status === 'ready' && loadedLast !== undefined && (pageFirst === undefined || pageFirst.seq <= loadedLast.seq + 1);
  if (joins) return { ...upsertMessages(timeline, page), status: 'ready' };
  // Start over from the page, keeping live messages newer than it (they arrived during the request).
  const pageLast = page.at(-1);
  const newer: Message[] = [];
  for (const { items } of timeline.chunks) for (const message of items) if (!pageLast || message.seq > pageLast.seq) newer.push(message);
  const base: Timeline = { chunks: page.length > 0 ? [chunk(page)] : [], status: 'ready', hasOlder: hasMore, olderStatus: 'idle' };
  return upsertMessages(base, newer);
}

/** An older page arrived: it becomes a chunk in front of the loaded range. */
export function prependOlderPage(timeline: Timeline, messages: readonly Message[], hasMore: boolean): Timeline {
  const oldest = firstMessage(timeline);
  const older = sortedUnique(messages).filter((message) => !oldest || message.seq < oldest.seq);
  const chunks = older.length > 0 ? [chunk(older), ...timeline.chunks] : timeline.chunks;
  return { ...timeline, chunks, hasOlder: hasMore, olderStatus: 'idle' };
}

/** Finds a loaded message by id (for edit/delete from the UI). */
export function findMessage(timeline: Timeline, messageId: string): Message | undefined {
  for (const { items } of timeline.chunks) {
    const found = items.find((message) => message.id === messageId);
    if (found) return found;
  }
  return undefined;
}

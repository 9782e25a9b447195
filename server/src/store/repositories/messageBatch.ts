import { randomFillSync } from 'node:crypto';
import type { Message, MessageKind } from '@switchboard/protocol';
import type { Selectable } from 'kysely';
import type { MessagesTable } from '../schema.js';

/*
 * What one group commit writes, worked out from what the database holds. Both stores run the
 * same steps inside their transaction: look up the client ids (idempotency), lock the touched
 * conversations and read their last seq and members, then insert `plan.rows`, move each
 * conversation's last_seq to `plan.lastSeqs` and each sender's read mark to `plan.senderReads`
 * (sending marks the conversation read for the sender). Only the statements differ per store.
 */

export interface AppendRequest {
  conversationId: string;
  senderId: string;
  clientId: string;
  kind: MessageKind;
  body: string;
}

export type AppendOutcome =
  | { status: 'stored'; message: Message; recipients: string[] }
  /** The same sender already stored this client id: the original message, nothing new written. */
  | { status: 'duplicate'; message: Message }
  | { status: 'not_member' }
  /** The sender used this client id for a message in another conversation. */
  | { status: 'client_id_reused' };

/** One row of "conversation joined with its members", as the lock query returns them. */
export interface ConversationMemberRow {
  id: string;
  last_seq: number;
  user_id: string;
}

export interface BatchPlan {
  rows: MessagesTable[];
  /** The new last_seq of every conversation that gets rows. */
  lastSeqs: Map<string, number>;
  /** Each sender's newest message per conversation: their read mark moves there. */
  senderReads: SenderRead[];
  outcomes: AppendOutcome[];
}

export interface SenderRead {
  conversationId: string;
  senderId: string;
  seq: number;
}

export function idempotencyKey(request: { senderId: string; clientId: string }): string {
  return `${request.senderId}:${request.clientId}`;
}

/** The distinct client ids of the batch, for the idempotency lookup. */
export function clientIdsOf(requests: readonly { clientId: string }[]): string[] {
  return [...new Set(requests.map((request) => request.clientId))];
}

/** Stored messages by idempotency key (rows looked up by client id; other senders' rows drop out by key). */
export function byIdempotencyKey(rows: readonly Selectable<MessagesTable>[]): Map<string, Message> {
  const found = new Map<string, Message>();
  for (const row of rows) found.set(`${row.sender_id}:${row.client_id}`, toMessage(row));
  return found;
}

/** Conversations that need a lock: those of the sends not stored before, in id order (no deadlock between nodes). */
export function conversationsToLock(requests: readonly AppendRequest[], existing: ReadonlyMap<string, Message>): string[] {
  const ids = new Set<string>();
  for (const request of requests) if (!existing.has(idempotencyKey(request))) ids.add(request.conversationId);
  return [...ids].sort();
}

/** A send whose sender stored this client id before: its duplicate, or a reuse in another conversation. */
export function storedBefore(original: Message, request: AppendRequest): AppendOutcome {
  return original.conversationId === request.conversationId ? { status: 'duplicate', message: original } : { status: 'client_id_reused' };
}

export function planBatch(
  requests: readonly AppendRequest[],
  existing: ReadonlyMap<string, Message>,
  locked: readonly ConversationMemberRow[],
  now: number,
): BatchPlan {
  const membersBy = new Map<string, string[]>();
  const lastSeqs = new Map<string, number>();
  for (const row of locked) {
    lastSeqs.set(row.id, row.last_seq);
    const list = membersBy.get(row.id);
    if (list) list.push(row.user_id);
    else membersBy.set(row.id, [row.user_id]);
  }

  const stored = new Map<string, Message>();
  const rows: MessagesTable[] = [];
  const touched = new Map<string, number>();
  const senderReads = new Map<string, SenderRead>();
  const outcomes = requests.map((request): AppendOutcome => {
    const key = idempotencyKey(request);
    const original = existing.get(key);
    if (original) return storedBefore(original, request);
    const again = stored.get(key);
    if (again) return { status: 'duplicate', message: again }; // the same message twice in one batch: stored once
    const members = membersBy.get(request.conversationId);
    const lastSeq = lastSeqs.get(request.conversationId);
    if (!members?.includes(request.senderId) || lastSeq === undefined) return { status: 'not_member' };
    const seq = lastSeq + 1;
    lastSeqs.set(request.conversationId, seq);
    touched.set(request.conversationId, seq);
    senderReads.set(`${request.conversationId}:${request.senderId}`, { conversationId: request.conversationId, senderId: request.senderId, seq });
    const row: MessagesTable = {
      id: timeOrderedId(now),
      conversation_id: request.conversationId,
      seq,
      sender_id: request.senderId,
      client_id: request.clientId,
      kind: request.kind,
      body: request.body,
      created_at: now,
      edited_at: null,
      deleted_at: null,
    };
    rows.push(row);
    const message = toMessage(row);
    stored.set(key, message);
    return { status: 'stored', message, recipients: members };
  });
  return { rows, lastSeqs: touched, senderReads: [...senderReads.values()], outcomes };
}

/** Random bytes for ids, filled 256 ids at a time (one system call instead of one per id). */
const idPool = Buffer.alloc(16 * 256);
let idPoolAt = idPool.length;

/**
 * A UUIDv7 (RFC 9562): 48 bits of epoch milliseconds, then random bits. Message ids made in time
 * order land at the right edge of the primary-key index, so a batch dirties one or two index pages
 * instead of one random page per message: less to write at each commit and each checkpoint.
 */
export function timeOrderedId(now: number): string {
  if (idPoolAt + 16 > idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const bytes = idPool.subarray(idPoolAt, idPoolAt + 16);
  idPoolAt += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id,
    kind: row.kind as MessageKind,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}

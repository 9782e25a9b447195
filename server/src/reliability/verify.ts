import fs from 'node:fs';
import type { Store } from '../store/index.js';
import type { OutboxEntry } from './loadClient.js';

/*
 * The verdict of a fault run, read from the database after the run (never from the server's own
 * word): every acked message present exactly once with the id and seq its ack named, sequences
 * 1..N without gaps in every conversation, and every member holding every message.
 */

export interface Sender {
  name: string;
  userId: string;
  entries: Iterable<OutboxEntry>;
}

export interface Holder {
  name: string;
  userId: string;
  /** conversationId → (seq → message id) the client holds. */
  conversations: ReadonlyMap<string, { received: ReadonlyMap<number, string> }>;
}

export interface Verdict {
  acked: number;
  /** Acked but missing, or stored under another id/seq than the ack said. */
  lost: number;
  /** The same logical message (sender + body) stored more than once. */
  duplicated: number;
  /** Sequence numbers missing or extra against 1..last_seq. */
  gaps: number;
  /** Sends that never got an ack although the run ended with everything back up. */
  unacked: number;
  /** Messages some member did not end up holding. */
  undelivered: number;
  /** Rows no sender knows about. */
  stray: number;
  details: string[];
}

export async function verify(store: Store, conversations: readonly { id: string; memberIds: readonly string[] }[], senders: readonly Sender[], holders: readonly Holder[]): Promise<Verdict> {
  const ids = conversations.map((conversation) => conversation.id);
  const rows = ids.length === 0 ? [] : await store.db.selectFrom('messages').select(['id', 'conversation_id', 'seq', 'sender_id', 'client_id', 'body']).where('conversation_id', 'in', ids).execute();
  const lastSeqRows = ids.length === 0 ? [] : await store.db.selectFrom('conversations').select(['id', 'last_seq']).where('id', 'in', ids).execute();
  const lastSeq = new Map(lastSeqRows.map((row) => [row.id, Number(row.last_seq)]));
  const verdict: Verdict = { acked: 0, lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0, details: [] };
  const note = (text: string) => {
    if (verdict.details.length < 50) verdict.details.push(text);
  };

  // Per conversation: seqs are exactly 1..last_seq.
  const bySeq = new Map<string, Map<number, string>>();
  for (const row of rows) {
    let seqs = bySeq.get(row.conversation_id);
    if (!seqs) bySeq.set(row.conversation_id, (seqs = new Map()));
    seqs.set(Number(row.seq), row.id);
  }
  for (const id of ids) {
    const last = lastSeq.get(id) ?? 0;
    const seqs = bySeq.get(id) ?? new Map<number, string>();
    for (let seq = 1; seq <= last; seq += 1) {
      if (!seqs.has(seq)) {
        verdict.gaps += 1;
        note(`conversation ${id}: seq ${seq} missing (last_seq ${last})`);
      }
    }
    for (const seq of seqs.keys()) {
      if (seq < 1 || seq > last) {
        verdict.gaps += 1;
        note(`conversation ${id}: seq ${seq} outside 1..${last}`);
      }
    }
  }

  // Every acked send is stored once, as acked; nothing is stored twice.
  const byClientId = new Map(rows.map((row) => [`${row.sender_id}:${row.client_id}`, row]));
  const known = new Set<string>();
  for (const sender of senders) {
    for (const entry of sender.entries) {
      const key = `${sender.userId}:${entry.clientId}`;
      known.add(key);
      const row = byClientId.get(key);
      if (entry.state !== 'acked' || !entry.ack) {
        if (entry.state !== 'failed') verdict.unacked += 1;
        continue;
      }
      verdict.acked += 1;
      if (!row) {
        verdict.lost += 1;
        note(`${sender.name}: acked ${entry.clientId} (seq ${entry.ack.seq}) is not stored`);
      } else if (row.id !== entry.ack.messageId || Number(row.seq) !== entry.ack.seq || row.conversation_id !== entry.conversationId) {
        verdict.lost += 1;
        note(`${sender.name}: acked ${entry.clientId} as ${entry.ack.messageId}/${entry.ack.seq}, stored as ${row.id}/${row.seq}`);
      }
    }
  }
  const copies = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.sender_id}:${row.body}`;
    copies.set(key, (copies.get(key) ?? 0) + 1);
    if (!known.has(`${row.sender_id}:${row.client_id}`)) {
      verdict.stray += 1;
      note(`stored message ${row.id} (client id ${row.client_id}) was sent by nobody in this run`);
    }
  }
  for (const [key, count] of copies) {
    if (count > 1) {
      verdict.duplicated += count - 1;
      note(`${key} stored ${count} times`);
    }
  }

  // Every member holds every message, under the stored id.
  const membersOf = new Map(conversations.map((conversation) => [conversation.id, new Set(conversation.memberIds)]));
  for (const holder of holders) {
    for (const id of ids) {
      if (!membersOf.get(id)?.has(holder.userId)) continue;
      const held = holder.conversations.get(id)?.received;
      const stored = bySeq.get(id) ?? new Map<number, string>();
      for (const [seq, messageId] of stored) {
        const got = held?.get(seq);
        if (got === undefined) {
          verdict.undelivered += 1;
          note(`${holder.name}: does not hold seq ${seq} of ${id}`);
        } else if (got !== messageId) {
          verdict.undelivered += 1;
          note(`${holder.name}: holds ${got} as seq ${seq} of ${id}, stored is ${messageId}`);
        }
      }
    }
  }
  return verdict;
}

export function verdictLine(label: string, extra: Record<string, number | string>, verdict: Verdict): string {
  const parts = Object.entries(extra).map(([key, value]) => `${key}=${value}`);
  return `[fault] ${label}: ${parts.join(' ')} acked=${verdict.acked} lost=${verdict.lost} duplicated=${verdict.duplicated} gaps=${verdict.gaps} unacked=${verdict.unacked} undelivered=${verdict.undelivered} stray=${verdict.stray}`;
}

/** Totals a test reports for `npm run soak` (appended as JSON lines to SWITCHBOARD_FAULT_SUMMARY). */
export interface SummaryRecord {
  test: string;
  store: string;
  kills?: number;
  acked: number;
  lost: number;
  duplicated: number;
  gaps: number;
  undelivered: number;
  unacked: number;
}

export function recordSummary(record: SummaryRecord): void {
  const file = process.env.SWITCHBOARD_FAULT_SUMMARY;
  if (file) fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
}

export function summaryOf(test: string, store: string, verdict: Verdict, kills?: number): SummaryRecord {
  return { test, store, ...(kills !== undefined ? { kills } : {}), acked: verdict.acked, lost: verdict.lost, duplicated: verdict.duplicated, gaps: verdict.gaps, undelivered: verdict.undelivered, unacked: verdict.unacked };
}

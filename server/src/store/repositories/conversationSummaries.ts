import type { ExpressionBuilder, Kysely } from 'kysely';
import { jsonArrayFrom as postgresJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Conversation, ConversationKind, Member } from '@switchboard/protocol';
import type { Database } from '../schema.js';
import type { Dialect } from '../db.js';
import { prepareQuery } from '../preparedQuery.js';
import { toMessage } from './messageBatch.js';

type SummaryScope = ExpressionBuilder<Database & { me: Database['conversation_members']; c: Database['conversations'] }, 'me' | 'c'>;

/**
 * The read behind a conversation summary (what a welcome lists): one row per conversation of the
 * user with its last message, the user's unread count and its members as a JSON array. A welcome
 * is this one query, whatever the number of conversations: on PostgreSQL each query is a round
 * trip, and a reconnecting client's reads queue for the pool.
 */
export function createSummaryReads(db: Kysely<Database>, dialect: Dialect) {
  const conversationsOf = summaryQuery(db, dialect);
  return {
    /** Every conversation of the user. */
    conversationsOf: prepareQuery(db, 1, (userId: string) => conversationsOf(userId)),
    /** The one conversation, if the user is in it. */
    oneOf: prepareQuery(db, 2, (userId: string, conversationId: string) => conversationsOf(userId).where('me.conversation_id', '=', conversationId)),
  };
}

/** The summaries of every conversation of a user, as one query (exported for the test of its plan). */
export function summaryQuery(db: Kysely<Database>, dialect: Dialect) {
  const jsonArrayFrom = dialect === 'postgres' ? postgresJsonArrayFrom : sqliteJsonArrayFrom;
  const membersOf = (eb: SummaryScope) =>
    jsonArrayFrom(
      eb
        .selectFrom('conversation_members as m')
        .select(['m.user_id', 'm.role', 'm.last_read_seq', 'm.joined_at'])
        .whereRef('m.conversation_id', '=', 'c.id'),
    );
  return (userId: string) =>
    db
      .selectFrom('conversation_members as me')
      .innerJoin('conversations as c', 'c.id', 'me.conversation_id')
      .leftJoin('messages as last', (join) => join.onRef('last.conversation_id', '=', 'c.id').onRef('last.seq', '=', 'c.last_seq'))
      .select(['c.id', 'c.kind', 'c.title', 'c.created_at', 'c.updated_at', 'c.last_seq'])
      .select([
        'last.id as last_id',
        'last.sender_id as last_sender_id',
        'last.client_id as last_client_id',
        'last.kind as last_kind',
        'last.body as last_body',
        'last.created_at as last_created_at',
        'last.edited_at as last_edited_at',
        'last.deleted_at as last_deleted_at',
      ])
      .select((eb) => unreadCount(eb).as('unread'))
      .select((eb) => membersOf(eb).as('members'))
      .where('me.user_id', '=', userId);
}

type SummaryReads = ReturnType<typeof createSummaryReads>;
export type SummaryRow = Awaited<ReturnType<SummaryReads['conversationsOf']>>[number];
type MemberJson = { user_id: string; role: string; last_read_seq: number; joined_at: number };

/**
 * Messages after the user's read mark, less the deleted ones among them. Sending marks the
 * conversation read for the sender (the group commit moves the mark), so none of them is the
 * user's own; seqs have no gaps, so the count is arithmetic and only the deleted messages are
 * read, through their partial index (migration 006).
 */
function unreadCount(eb: SummaryScope) {
  const deletedSinceMark = eb
    .selectFrom('messages as deleted')
    .select((inner) => inner.fn.countAll<number>().as('n'))
    .whereRef('deleted.conversation_id', '=', 'c.id')
    .whereRef('deleted.seq', '>', 'me.last_read_seq')
    .where('deleted.deleted_at', 'is not', null);
  return eb(eb('c.last_seq', '-', eb.ref('me.last_read_seq')), '-', deletedSinceMark);
}

/** Summaries, most recently active first. */
export function toSummaries(rows: readonly SummaryRow[]): Conversation[] {
  return rows
    .map((row) => {
      const lastMessage =
        row.last_id === null
          ? null
          : toMessage({
              id: row.last_id,
              conversation_id: row.id,
              seq: row.last_seq,
              sender_id: row.last_sender_id as string,
              client_id: row.last_client_id as string,
              kind: row.last_kind as string,
              body: row.last_body as string,
              created_at: row.last_created_at as number,
              edited_at: row.last_edited_at,
              deleted_at: row.last_deleted_at,
            });
      return {
        id: row.id,
        kind: row.kind as ConversationKind,
        title: row.title,
        members: membersOf(row),
        lastSeq: row.last_seq,
        lastMessage,
        unread: Math.max(0, Number(row.unread ?? 0)),
        createdAt: row.created_at,
        updatedAt: Math.max(row.updated_at, lastMessage?.createdAt ?? 0),
      };
    })
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The members in the order they joined (PostgreSQL hands the JSON array over parsed, SQLite as text). */
function membersOf(row: SummaryRow): Member[] {
  const members = (typeof row.members === 'string' ? JSON.parse(row.members) : row.members) as MemberJson[];
  return members.sort((a, b) => a.joined_at - b.joined_at).map(toMember);
}

export function toMember(row: { user_id: string; role: string; last_read_seq: number }): Member {
  return { userId: row.user_id, role: row.role === 'owner' ? 'owner' : 'member', lastReadSeq: row.last_read_seq };
}

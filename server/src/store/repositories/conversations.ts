import type { Kysely, Selectable } from 'kysely';
import type { Conversation, ConversationKind, Member } from '@switchboard/protocol';
import type { ConversationsTable, Database } from '../schema.js';
import type { Dialect } from '../db.js';
import { createSummaryReads, toMember, toSummaries } from './conversationSummaries.js';

export interface ConversationRecord {
  id: string;
  kind: ConversationKind;
  title: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  lastSeq: number;
}

export interface NewConversation {
  id: string;
  kind: ConversationKind;
  title: string | null;
  directKey: string | null;
  createdBy: string;
  members: { userId: string; role: Member['role'] }[];
}

export interface ConversationRepository {
  /** Inserts the conversation and its members in one transaction. */
  create(conversation: NewConversation, now: number): Promise<void>;
  findByDirectKey(directKey: string): Promise<ConversationRecord | undefined>;
  find(id: string): Promise<ConversationRecord | undefined>;
  members(conversationId: string): Promise<Member[]>;
  memberIds(conversationId: string): Promise<string[]>;
  isMember(conversationId: string, userId: string): Promise<boolean>;
  addMembers(conversationId: string, userIds: readonly string[], now: number): Promise<void>;
  removeMember(conversationId: string, userId: string, now: number): Promise<void>;
  rename(conversationId: string, title: string, now: number): Promise<void>;
  /** Raises the member's read mark to `seq` (never lowers it, never past lastSeq); returns the new mark. */
  markRead(conversationId: string, userId: string, seq: number): Promise<number | undefined>;
  /** Summaries of every conversation of `userId` as they see them (unread counts are theirs). */
  summaries(userId: string): Promise<Conversation[]>;
  /** The summary of one conversation as `userId` sees it; undefined if they are not in it. */
  summary(userId: string, conversationId: string): Promise<Conversation | undefined>;
}

/** `durable` resolves once every commit so far is on disk (summaries hand out last seqs and messages). */
export function createConversationRepository(db: Kysely<Database>, dialect: Dialect, durable: () => Promise<void> = async () => {}): ConversationRepository {
  const summaryReads = createSummaryReads(db, dialect);
  return {
    async create(conversation, now) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('conversations')
          .values({
            id: conversation.id,
            kind: conversation.kind,
            title: conversation.title,
            direct_key: conversation.directKey,
            created_by: conversation.createdBy,
            created_at: now,
            updated_at: now,
            last_seq: 0,
          })
          .execute();
        await trx
          .insertInto('conversation_members')
          .values(
            conversation.members.map((member) => ({
              conversation_id: conversation.id,
              user_id: member.userId,
              role: member.role,
              joined_at: now,
              last_read_seq: 0,
            })),
          )
          .execute();
      });
    },
    async findByDirectKey(directKey) {
      const row = await db.selectFrom('conversations').selectAll().where('direct_key', '=', directKey).executeTakeFirst();
      return row && toRecord(row);
    },
    async find(id) {
      const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async members(conversationId) {
      const rows = await db
        .selectFrom('conversation_members')
        .select(['user_id', 'role', 'last_read_seq'])
        .where('conversation_id', '=', conversationId)
        .orderBy('joined_at')
        .execute();
      return rows.map(toMember);
    },
    async memberIds(conversationId) {
      const rows = await db.selectFrom('conversation_members').select('user_id').where('conversation_id', '=', conversationId).execute();
      return rows.map((row) => row.user_id);
    },
    async isMember(conversationId, userId) {
      const row = await db
        .selectFrom('conversation_members')
        .select('user_id')
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async addMembers(conversationId, userIds, now) {
      if (userIds.length === 0) return;
      await db.transaction().execute(async (trx) => {
        // The conversation's row first, as the group commit locks it before member rows (PostgreSQL:
        // no deadlock); its last seq then stays put until the newcomers are in.
        const conversation = await trx.updateTable('conversations').set({ updated_at: now }).where('id', '=', conversationId).returning('last_seq').executeTakeFirst();
        await trx
          .insertInto('conversation_members')
          .values(
            userIds.map((userId) => ({
              conversation_id: conversationId,
              user_id: userId,
              role: 'member',
              joined_at: now,
              // A newcomer has not read the history, but is not "behind" on it either.
              last_read_seq: conversation?.last_seq ?? 0,
            })),
          )
          .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
          .execute();
      });
    },
    async removeMember(conversationId, userId, now) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('conversations').set({ updated_at: now }).where('id', '=', conversationId).execute();
        await trx.deleteFrom('conversation_members').where('conversation_id', '=', conversationId).where('user_id', '=', userId).execute();
      });
    },
    async rename(conversationId, title, now) {
      await db.updateTable('conversations').set({ title, updated_at: now }).where('id', '=', conversationId).execute();
    },
    async markRead(conversationId, userId, seq) {
      const conversation = await this.find(conversationId);
      if (!conversation) return undefined;
      const capped = Math.min(seq, conversation.lastSeq);
      await db
        .updateTable('conversation_members')
        .set({ last_read_seq: capped })
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .where('last_read_seq', '<', capped)
        .execute();
      const row = await db
        .selectFrom('conversation_members')
        .select('last_read_seq')
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.last_read_seq;
    },
    async summaries(userId) {
      const rows = await summaryReads.conversationsOf(userId);
      await durable();
      return toSummaries(rows);
    },
    async summary(userId, conversationId) {
      const rows = await summaryReads.oneOf(userId, conversationId);
      await durable();
      return toSummaries(rows)[0];
    },
  };
}

function toRecord(row: Selectable<ConversationsTable>): ConversationRecord {
  return {
    id: row.id,
    kind: row.kind as ConversationKind,
    title: row.title,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeq: row.last_seq,
  };
}

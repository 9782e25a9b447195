import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_STORES } from '../../test/testServer.js';
import { openTestStore } from '../../test/testStore.js';
import { createImRepositories, type ImRepositories, type Store } from '../index.js';
import { markOwnMessagesRead } from './006_read_on_send.js';

/**
 * Migration 006 on both stores: marks left behind a member's own messages (as sends before it
 * left them) move to the newest of them, and the welcome's unread count reads the deleted
 * messages through the partial index, not the message rows.
 */
describe.each(TEST_STORES)('read on send (migration 006) on %s', (kind) => {
  let store: Store;
  let repos: ImRepositories;
  let cleanup: (() => Promise<void>) | undefined;
  const now = Date.now();
  const [ann, bob, cid] = [randomUUID(), randomUUID(), randomUUID()];
  const group = randomUUID();

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore(kind, 'readonsend'));
    repos = createImRepositories(store);
    for (const id of [ann, bob, cid]) await repos.users.create({ id, username: id, displayName: id, passwordHash: 'x', roles: ['employee'] }, now);
    const members = [ann, bob, cid].map((userId) => ({ userId, role: 'member' as const }));
    await repos.conversations.create({ id: group, kind: 'group', title: 'G', directKey: null, createdBy: ann, members }, now);
  });
  afterAll(async () => cleanup?.());

  it("moves each member's mark to their own newest message, never back", async () => {
    let n = 0;
    for (const sender of [ann, bob, ann, bob, bob]) {
      n += 1;
      await repos.messages.appendBatch([{ conversationId: group, senderId: sender, clientId: `m${n}`, kind: 'text', body: `m${n}` }], now + n);
    }
    // As before the migration: nobody's mark moved on sending; Cid has read everything.
    await store.db.updateTable('conversation_members').set({ last_read_seq: 0 }).where('conversation_id', '=', group).execute();
    await store.db.updateTable('conversation_members').set({ last_read_seq: 5 }).where('user_id', '=', cid).execute();
    expect((await repos.conversations.summaries(ann))[0]?.unread).toBe(5);

    await markOwnMessagesRead(store.db);
    const marks = Object.fromEntries((await repos.conversations.members(group)).map((member) => [member.userId, member.lastReadSeq]));
    expect(marks).toEqual({ [ann]: 3, [bob]: 5, [cid]: 5 });
    expect((await repos.conversations.summaries(ann))[0]?.unread).toBe(2);
  });

  it('counts deleted messages through the partial index', async () => {
    const plan = await explainDeletedCount(store, group);
    expect(plan).toContain('messages_deleted_idx');
  });
});

/** The plan of the unread count's look-up of deleted messages, as one string. */
async function explainDeletedCount(store: Store, conversationId: string): Promise<string> {
  const query = sql`select count(*) from messages where conversation_id = ${conversationId} and seq > ${0} and deleted_at is not null`;
  if (store.dialect === 'sqlite') {
    const { rows } = await sql<{ detail: string }>`explain query plan ${query}`.execute(store.db);
    return rows.map((row) => row.detail).join('\n');
  }
  // A table of a few rows is cheapest to scan whole: ask whether the index can serve the query.
  return store.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

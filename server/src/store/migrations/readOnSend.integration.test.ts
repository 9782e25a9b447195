import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_STORES } from '../../test/testServer.js';
import { openTestStore } from '../../test/testStore.js';
import { createImRepositories, type ImRepositories, type Store } from '../index.js';
import { markOwnMessagesRead } from './006_read_on_send.js';
import { summaryQuery } from '../repositories/conversationSummaries.js';

/**
 * Migration 006 on both stores: marks left behind a member's own messages (as sends before it
 * left them) move to the newest of them, and the welcome's unread count reads the deleted
 * messages through the partial index, not the message rows. Member changes racing sends do
 * not deadlock on PostgreSQL (the group commit now writes member rows too).
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

  it('sends racing a sender leaving and coming back: no deadlock, gapless seqs, exact unread counts', async () => {
    const room = randomUUID();
    await repos.conversations.create({ id: room, kind: 'group', title: 'R', directKey: null, createdBy: ann, members: [ann, bob, cid].map((userId) => ({ userId, role: 'member' as const })) }, now);
    const sends = Array.from({ length: 40 }, (_, i) =>
      repos.messages.appendBatch([{ conversationId: room, senderId: i % 2 === 0 ? ann : bob, clientId: `race${i}`, kind: 'text', body: `r${i}` }], now + i),
    );
    // Bob's member row is what his sends move; leaving and joining change it after locking the conversation.
    const churn = (async () => {
      for (let i = 0; i < 15; i += 1) {
        await repos.conversations.removeMember(room, bob, now + i);
        await repos.conversations.addMembers(room, [bob], now + i);
      }
    })();
    const outcomes = (await Promise.all(sends)).flat();
    await churn;
    expect(outcomes.every((outcome) => outcome.status === 'stored' || outcome.status === 'not_member')).toBe(true);
    const stored = (await repos.messages.before(room, undefined, 100)).messages;
    expect(stored.map((message) => message.seq)).toEqual(stored.map((_, index) => index + 1));
    for (const user of [ann, bob, cid]) {
      const summary = (await repos.conversations.summaries(user)).find((conversation) => conversation.id === room);
      const mark = summary?.members.find((member) => member.userId === user)?.lastReadSeq ?? 0;
      const own = stored.filter((message) => message.senderId === user).map((message) => message.seq);
      expect(mark).toBeGreaterThanOrEqual(Math.max(0, ...own));
      expect(summary?.unread).toBe(stored.filter((message) => message.seq > mark && message.senderId !== user).length);
    }
  });

  it("the welcome's query counts deleted messages through the partial index", async () => {
    const plan = await explain(store, summaryQuery(store.db, store.dialect)(ann).compile());
    expect(plan).toContain('messages_deleted_idx');
  });
});

/** The plan of a compiled query, as one string. */
async function explain(store: Store, query: CompiledQuery): Promise<string> {
  if (store.dialect === 'sqlite') {
    const { rows } = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return rows.map((row) => row.detail).join('\n');
  }
  // A table of a few rows is cheapest to scan whole: ask whether the index can serve the query.
  return store.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_STORES } from '../../test/testServer.js';
import { openTestStore } from '../../test/testStore.js';
import { createImRepositories, type ImRepositories } from '../index.js';
import type { AppendOutcome, AppendRequest } from './messageBatch.js';

/**
 * The group commit's one call, on both stores: every outcome of a mixed batch, and what it leaves
 * in the database. The stores write it differently (SQLite plans in TypeScript, PostgreSQL in
 * one statement), so this is where they must agree.
 */
describe.each(TEST_STORES)('appendBatch on %s', (kind) => {
  let repos: ImRepositories;
  let cleanup: (() => Promise<void>) | undefined;
  const now = Date.now();
  const [ann, bob, eve] = [randomUUID(), randomUUID(), randomUUID()];
  const pair = randomUUID();
  const trio = randomUUID();
  const send = (conversationId: string, senderId: string, clientId: string): AppendRequest => ({ conversationId, senderId, clientId, kind: 'text', body: `${clientId} from ${senderId}` });
  const summary = (outcome: AppendOutcome | undefined) => {
    if (outcome?.status === 'stored') return { status: outcome.status, conversation: outcome.message.conversationId, seq: outcome.message.seq, recipients: [...outcome.recipients].sort() };
    if (outcome?.status === 'duplicate') return { status: outcome.status, conversation: outcome.message.conversationId, seq: outcome.message.seq };
    return { status: outcome?.status };
  };

  beforeAll(async () => {
    const opened = await openTestStore(kind, 'append');
    cleanup = opened.cleanup;
    repos = createImRepositories(opened.store);
    for (const id of [ann, bob, eve]) await repos.users.create({ id, username: id, displayName: id, passwordHash: 'x', roles: ['employee'] }, now);
    const members = (...ids: string[]) => ids.map((userId) => ({ userId, role: 'member' as const }));
    await repos.conversations.create({ id: pair, kind: 'direct', title: null, directKey: `${ann}:${bob}`, createdBy: ann, members: members(ann, bob) }, now);
    await repos.conversations.create({ id: trio, kind: 'group', title: 'Trio', directKey: null, createdBy: ann, members: members(ann, bob, eve) }, now);
  });
  afterAll(async () => cleanup?.());

  it('numbers new sends per conversation in batch order and answers repeats, reuse and strangers', async () => {
    const [first] = await repos.messages.appendBatch([send(pair, ann, 'a1')], now);
    expect(summary(first)).toEqual({ status: 'stored', conversation: pair, seq: 1, recipients: [ann, bob].sort() });

    const outcomes = await repos.messages.appendBatch(
      [
        send(trio, eve, 'e1'),
        send(pair, bob, 'b1'),
        send(pair, ann, 'a1'), // stored before: its duplicate
        send(trio, ann, 'a1'), // the same client id in another conversation
        send(pair, eve, 'e2'), // not a member of the pair
        send(trio, eve, 'e1'), // a repeat within the batch
        send(trio, bob, 'b2'),
        send(pair, ann, 'a2'),
        send(trio, eve, 'e2'), // refused above in the pair, a member here
      ],
      now + 1,
    );
    expect(outcomes.map(summary)).toEqual([
      { status: 'stored', conversation: trio, seq: 1, recipients: [ann, bob, eve].sort() },
      { status: 'stored', conversation: pair, seq: 2, recipients: [ann, bob].sort() },
      { status: 'duplicate', conversation: pair, seq: 1 },
      { status: 'client_id_reused' },
      { status: 'not_member' },
      { status: 'duplicate', conversation: trio, seq: 1 },
      { status: 'stored', conversation: trio, seq: 2, recipients: [ann, bob, eve].sort() },
      { status: 'stored', conversation: pair, seq: 3, recipients: [ann, bob].sort() },
      { status: 'stored', conversation: trio, seq: 3, recipients: [ann, bob, eve].sort() },
    ]);
    const stored = outcomes.flatMap((outcome) => (outcome.status === 'stored' ? [outcome.message] : []));
    expect(stored.every((message) => message.createdAt === now + 1 && message.editedAt === null && message.deletedAt === null)).toBe(true);
    expect(new Set(stored.map((message) => message.id)).size).toBe(stored.length);

    const inPair = (await repos.messages.before(pair, undefined, 10)).messages;
    expect(inPair.map((message) => [message.seq, message.senderId, message.clientId, message.body])).toEqual([
      [1, ann, 'a1', `a1 from ${ann}`],
      [2, bob, 'b1', `b1 from ${bob}`],
      [3, ann, 'a2', `a2 from ${ann}`],
    ]);
    expect((await repos.messages.before(trio, undefined, 10)).messages.map((message) => message.clientId)).toEqual(['e1', 'b2', 'e2']);
    // Sending marks the conversation read for the sender, up to their newest message; a refused
    // send (Ann's reused client id in the trio) moves nothing.
    const marks = async (conversationId: string) => Object.fromEntries((await repos.conversations.members(conversationId)).map((member) => [member.userId, member.lastReadSeq]));
    expect(await marks(pair)).toEqual({ [ann]: 3, [bob]: 2 });
    expect(await marks(trio)).toEqual({ [ann]: 0, [bob]: 2, [eve]: 3 });
    // last_seq moved with the rows: the next send continues the sequence.
    const [next] = await repos.messages.appendBatch([send(trio, bob, 'b3')], now + 2);
    expect(summary(next)).toMatchObject({ status: 'stored', seq: 4 });
    expect(await marks(trio)).toEqual({ [ann]: 0, [bob]: 4, [eve]: 3 });
  });

  it('a batch of nothing new writes nothing', async () => {
    const before = (await repos.messages.before(pair, undefined, 10)).messages;
    const outcomes = await repos.messages.appendBatch([send(pair, ann, 'a1'), send(pair, eve, 'e9')], now + 3);
    expect(outcomes.map(summary)).toEqual([{ status: 'duplicate', conversation: pair, seq: 1 }, { status: 'not_member' }]);
    expect((await repos.messages.before(pair, undefined, 10)).messages).toEqual(before);
  });
});

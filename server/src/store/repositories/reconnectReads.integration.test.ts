import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_STORES } from '../../test/testServer.js';
import { openTestStore } from '../../test/testStore.js';
import { createImRepositories, type ImRepositories, type Store } from '../index.js';

/** The reads a reconnecting client makes (upgrade, welcome, catch-up), one query each, on both stores. */
describe.each(TEST_STORES)('reconnect reads on %s', (kind) => {
  let store: Store;
  let repos: ImRepositories;
  let cleanup: () => Promise<void>;
  const now = Date.now();
  const [ann, bob, cid] = ['ann', 'bob', 'cid'].map((name) => ({ id: randomUUID(), username: name }));
  const direct = randomUUID();
  const group = randomUUID();
  const empty = randomUUID();
  let sent = 0;
  const send = async (conversationId: string, senderId: string) => {
    const [outcome] = await repos.messages.appendBatch([{ conversationId, senderId, clientId: `c${(sent += 1)}`, kind: 'text', body: `message ${sent}` }], now + sent);
    if (outcome?.status !== 'stored') throw new Error('not stored');
    return outcome.message;
  };

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore(kind, 'reads'));
    repos = createImRepositories(store);
    for (const user of [ann, bob, cid]) await repos.users.create({ ...user, displayName: user.username, passwordHash: 'x', roles: ['employee'] }, now);
    const member = (userId: string, role: 'owner' | 'member' = 'member') => ({ userId, role });
    await repos.conversations.create({ id: direct, kind: 'direct', title: null, directKey: `${ann.id}:${bob.id}`, createdBy: ann.id, members: [member(ann.id), member(bob.id)] }, now);
    await repos.conversations.create({ id: group, kind: 'group', title: 'Team', directKey: null, createdBy: bob.id, members: [member(bob.id, 'owner'), member(ann.id), member(cid.id)] }, now);
    await repos.conversations.create({ id: empty, kind: 'group', title: 'Quiet', directKey: null, createdBy: ann.id, members: [member(ann.id, 'owner')] }, now);
  });
  afterAll(async () => cleanup?.());

  it('welcome: every conversation with its members, last message and the reader’s unread count', async () => {
    await send(direct, ann.id);
    await send(direct, bob.id);
    const deleted = await send(direct, bob.id);
    await repos.messages.markDeleted(direct, deleted.id, now + 100);
    // Ann's send marks the group read up to it (2); she then reads Cid's (3), not Bob's last (4).
    const groupMessages = [await send(group, bob.id), await send(group, ann.id), await send(group, cid.id), await send(group, bob.id)];
    await repos.conversations.markRead(group, ann.id, groupMessages[2].seq);
    const lastOfDirect = await repos.messages.find(direct, deleted.id);
    // Members are listed in the order they joined: here the later one has the smaller id (the
    // order of the member index), so only sorting by the time they joined gets it right.
    const [joinsFirst, joinsLast] = [bob, cid].sort((a, b) => b.id.localeCompare(a.id));
    await repos.conversations.addMembers(empty, [joinsFirst.id], now + 1);
    await repos.conversations.addMembers(empty, [joinsLast.id], now + 2);

    const summaries = await repos.conversations.summaries(ann.id);
    expect(summaries.map((summary) => summary.id)).toEqual([group, direct, empty]);
    const [ofGroup, ofDirect, ofEmpty] = summaries;
    expect(ofGroup).toMatchObject({ kind: 'group', title: 'Team', lastSeq: 4, unread: 1, lastMessage: groupMessages[3] });
    // All three joined at the same moment: their order among themselves is not defined.
    expect(ofGroup?.members).toHaveLength(3);
    expect(ofGroup?.members).toEqual(
      expect.arrayContaining([
        { userId: bob.id, role: 'owner', lastReadSeq: 4 },
        { userId: ann.id, role: 'member', lastReadSeq: 3 },
        { userId: cid.id, role: 'member', lastReadSeq: 3 },
      ]),
    );
    // Bob's two messages after Ann's own, one of them deleted since.
    expect(ofDirect).toMatchObject({ kind: 'direct', lastSeq: 3, unread: 1, lastMessage: lastOfDirect });
    expect(ofEmpty).toMatchObject({
      lastSeq: 0,
      lastMessage: null,
      unread: 0,
      members: [
        { userId: ann.id, role: 'owner', lastReadSeq: 0 },
        { userId: joinsFirst.id, role: 'member', lastReadSeq: 0 },
        { userId: joinsLast.id, role: 'member', lastReadSeq: 0 },
      ],
    });
    expect(ofGroup?.updatedAt).toBe(groupMessages[3].createdAt);

    const byUser = (members: readonly { userId: string }[]) => [...members].sort((a, b) => a.userId.localeCompare(b.userId));
    for (const summary of summaries) {
      const one = await repos.conversations.summary(ann.id, summary.id);
      expect({ ...one, members: byUser(one?.members ?? []) }).toEqual({ ...summary, members: byUser(summary.members) });
    }
    expect(await repos.conversations.summary(cid.id, direct)).toBeUndefined();
    expect((await repos.conversations.summaries(cid.id)).map((summary) => summary.id)).toEqual([group, empty]);
    expect(await repos.conversations.summaries(randomUUID())).toEqual([]);
  });

  it('catch-up: messages after the cursor for a member, in pages; nothing for a non-member', async () => {
    const all = (await repos.messages.before(group, undefined, 100)).messages;
    expect(await repos.messages.afterAsMember(group, ann.id, 0, 2)).toEqual({ messages: all.slice(0, 2), hasMore: true });
    expect(await repos.messages.afterAsMember(group, ann.id, 2, 2)).toEqual({ messages: all.slice(2), hasMore: false });
    expect(await repos.messages.afterAsMember(group, ann.id, all.length, 200)).toEqual({ messages: [], hasMore: false });
    expect(await repos.messages.afterAsMember(empty, ann.id, 0, 200)).toEqual({ messages: [], hasMore: false });
    expect(await repos.messages.afterAsMember(direct, cid.id, 0, 200)).toBeUndefined();
    expect(await repos.messages.afterAsMember(randomUUID(), ann.id, 0, 200)).toBeUndefined();
  });

  it('upgrade: the user of a session that has not expired', async () => {
    await repos.sessions.create({ id: 'live', userId: bob.id, createdAt: now, expiresAt: now + 60_000, userAgent: null, ip: null });
    await repos.sessions.create({ id: 'stale', userId: bob.id, createdAt: now, expiresAt: now - 1, userAgent: null, ip: null });
    expect(await repos.sessions.userOfValid('live', now)).toEqual(await repos.users.findById(bob.id));
    expect(await repos.sessions.userOfValid('stale', now)).toBeUndefined();
    expect(await repos.sessions.userOfValid('unknown', now)).toBeUndefined();
  });
});

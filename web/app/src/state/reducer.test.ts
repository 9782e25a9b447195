import { describe, expect, it } from 'vitest';
import type { Conversation, Message, User } from '@switchboard/protocol';
import { INITIAL_STATE, reducer } from './reducer.js';
import type { AppState } from './types.js';

const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const CID = '00000000-0000-4000-8000-000000000003';
const GROUP = '00000000-0000-4000-8000-0000000000c1';

const me: User = { id: ME, username: 'me', displayName: 'Me', roles: ['employee'], disabled: false };

function message(seq: number, senderId: string): Message {
  return { id: `id-${seq}`, conversationId: GROUP, seq, senderId, clientId: `c${seq}`, kind: 'text', body: `m${seq}`, createdAt: 1000 + seq, editedAt: null, deletedAt: null };
}

function welcomed(lastSeq: number, marks: Record<string, number>, unread: number): AppState {
  const conversation: Conversation = {
    id: GROUP,
    kind: 'group',
    title: 'Team',
    members: Object.entries(marks).map(([userId, lastReadSeq]) => ({ userId, role: 'member', lastReadSeq })),
    lastSeq,
    lastMessage: null,
    unread,
    createdAt: 1000,
    updatedAt: 1000,
  };
  return reducer(INITIAL_STATE, { type: 'welcome', user: me, permissions: [], conversations: [conversation], presence: [] });
}

const marksOf = (state: AppState) => Object.fromEntries((state.conversations.get(GROUP)?.members ?? []).map((member) => [member.userId, member.lastReadSeq]));

describe('a new message in a conversation summary', () => {
  it("moves its sender's read mark to it and counts as unread for me", () => {
    const state = reducer(welcomed(2, { [ME]: 2, [BOB]: 1, [CID]: 2 }, 0), { type: 'message', message: message(3, BOB) });
    expect(marksOf(state)).toEqual({ [ME]: 2, [BOB]: 3, [CID]: 2 });
    expect(state.conversations.get(GROUP)).toMatchObject({ lastSeq: 3, unread: 1 });
  });

  it('of my own marks the conversation read for me', () => {
    const behind = reducer(welcomed(2, { [ME]: 0, [BOB]: 2, [CID]: 0 }, 2), { type: 'message', message: message(3, ME) });
    expect(marksOf(behind)).toEqual({ [ME]: 3, [BOB]: 2, [CID]: 0 });
    expect(behind.conversations.get(GROUP)).toMatchObject({ lastSeq: 3, unread: 0 });
  });

  it("arriving after a newer one still moves its sender's mark", () => {
    const afterMine = reducer(welcomed(2, { [ME]: 2, [BOB]: 1, [CID]: 2 }, 0), { type: 'message', message: message(4, ME) });
    const late = reducer(afterMine, { type: 'message', message: message(3, BOB) });
    expect(marksOf(late)).toEqual({ [ME]: 4, [BOB]: 3, [CID]: 2 });
    expect(late.conversations.get(GROUP)).toMatchObject({ lastSeq: 4, unread: 0 });
  });
});

describe('a conversation summary from the server', () => {
  it('keeps read marks that live frames already moved further', () => {
    const live = reducer(welcomed(3, { [ME]: 3, [BOB]: 1, [CID]: 2 }, 0), { type: 'message', message: message(4, BOB) });
    const older = live.conversations.get(GROUP);
    if (!older) throw new Error('no conversation');
    const renamed = { ...older, title: 'Renamed', lastSeq: 3, members: older.members.map((member) => (member.userId === BOB ? { ...member, lastReadSeq: 1 } : member)) };
    const state = reducer(live, { type: 'conversation', conversation: renamed });
    expect(state.conversations.get(GROUP)).toMatchObject({ title: 'Renamed', lastSeq: 4 });
    expect(marksOf(state)).toEqual({ [ME]: 3, [BOB]: 4, [CID]: 2 });
  });
});

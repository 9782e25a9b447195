import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatSummary } from '@switchboard/protocol';
import { INITIAL_SERVICE, mergeMessages, serviceReducer } from './serviceReducer.js';
import { openChats, recentChats, totalVisitorUnread, unreadOf, visitorLabel } from './serviceSelectors.js';
import type { ServiceState } from './types.js';
import type { ServiceAction } from './serviceActions.js';

const ME = '00000000-0000-4000-8000-000000000001';
const CHAT = '00000000-0000-4000-8000-0000000000c1';

function message(seq: number, author: ChatMessage['author'] = 'visitor', body = `m${seq}`): ChatMessage {
  return { id: `id-${seq}`, chatId: CHAT, seq, author, agentId: author === 'agent' || author === 'note' ? ME : null, authorName: null, clientId: null, body, createdAt: 1000 + seq };
}

function summary(overrides: Partial<ChatSummary> = {}): ChatSummary {
  return {
    id: CHAT,
    siteId: '00000000-0000-4000-8000-0000000000a1',
    departmentId: null,
    status: 'assigned',
    visitor: { id: '5c22aaaa-0000-4000-8000-000000000000', name: null, email: null, page: null, userAgent: null, language: null, fields: {}, online: true },
    agentIds: [ME],
    assigneeId: ME,
    lastSeq: 1,
    lastMessage: message(1),
    createdAt: 1000,
    assignedAt: 1001,
    closedAt: null,
    closedBy: null,
    ...overrides,
  };
}

function run(...actions: ServiceAction[]): ServiceState {
  return actions.reduce(serviceReducer, INITIAL_SERVICE);
}

describe('visitor chat state', () => {
  it('merges messages in seq order, one per seq', () => {
    const merged = mergeMessages([message(1), message(3)], [message(2), message(3), message(4)]);
    expect(merged.map((item) => item.seq)).toEqual([1, 2, 3, 4]);
    const same = [message(1)];
    expect(mergeMessages(same, [message(1)])).toBe(same);
  });

  it('counts unseen visitor messages after the last agent reply', () => {
    const state = run(
      { type: 'service.chat', chat: summary(), listed: true },
      { type: 'service.timeline.newest', chatId: CHAT, messages: [message(1), message(2, 'agent'), message(3), message(4, 'system'), message(5)], hasMore: false },
    );
    const entry = state.chats.get(CHAT);
    expect(entry?.chat.lastSeq).toBe(5);
    expect(unreadOf(entry!.chat, state.timelines.get(CHAT), 0)).toBe(2);
    expect(unreadOf(entry!.chat, state.timelines.get(CHAT), 3)).toBe(1);
    expect(totalVisitorUnread(serviceReducer(state, { type: 'service.read', chatId: CHAT, seq: 5 }))).toBe(0);
  });

  it('before the history loads, an unseen last visitor message counts as one', () => {
    const state = run({ type: 'service.chat', chat: summary({ lastSeq: 4, lastMessage: message(4) }), listed: true });
    expect(totalVisitorUnread(state)).toBe(1);
  });

  it('a removed chat leaves the sidebar and no longer counts the agent in', () => {
    const state = run({ type: 'service.chat', chat: summary(), listed: true }, { type: 'service.chat.removed', chatId: CHAT, agentId: ME });
    expect(openChats(state)).toEqual([]);
    expect(state.chats.get(CHAT)?.chat.agentIds).toEqual([]);
    expect(state.chats.get(CHAT)?.chat.assigneeId).toBeNull();
  });

  it('closed chats go to Recent; a later summary never rolls back the last message', () => {
    let state = run({ type: 'service.chat', chat: summary(), listed: true }, { type: 'service.messages', chatId: CHAT, messages: [message(2)] });
    state = serviceReducer(state, { type: 'service.chat', chat: summary({ status: 'closed', closedAt: 2000 }), listed: true });
    expect(recentChats(state).map((entry) => entry.chat.id)).toEqual([CHAT]);
    expect(state.chats.get(CHAT)?.chat.lastSeq).toBe(2);
    state = serviceReducer(state, { type: 'service.chat.dismissed', chatIds: [CHAT] });
    expect(recentChats(state)).toEqual([]);
  });

  it('a newest page that does not join the loaded messages replaces them', () => {
    const state = run(
      { type: 'service.timeline.newest', chatId: CHAT, messages: [message(1), message(2)], hasMore: false },
      { type: 'service.timeline.newest', chatId: CHAT, messages: [message(50), message(51)], hasMore: true },
    );
    expect(state.timelines.get(CHAT)?.messages.map((item) => item.seq)).toEqual([50, 51]);
    expect(state.timelines.get(CHAT)?.hasOlder).toBe(true);
  });

  it('names anonymous visitors by their id', () => {
    const t = (key: string, params?: Readonly<Record<string, string | number>>) => `${key}:${String(params?.id ?? '')}`;
    expect(visitorLabel(summary().visitor, t)).toBe('visitor.anonymous:5c22');
    expect(visitorLabel({ ...summary().visitor, name: '  Ada  Lovelace ' }, t)).toBe('Ada Lovelace');
  });
});

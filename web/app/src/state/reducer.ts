import type { Conversation, Member, Message, Presence, PresenceStatus, User } from '@switchboard/protocol';
import { LIMITS } from '@switchboard/protocol';
import type { Action } from './actions.js';
import type { AppState, Timeline } from './types.js';
import { failedStatus, loadingStatus, withEntry, withOutgoing, withoutEntry, withoutOutgoing } from './maps.js';
import { EMPTY_TIMELINE, applyNewestPage, prependOlderPage, upsertMessage } from './timeline.js';
import { INITIAL_SERVICE, isServiceAction, serviceReducer } from './serviceReducer.js';

export const INITIAL_STATE: AppState = {
  me: null,
  permissions: [],
  connection: 'connecting',
  ready: false,
  conversations: new Map(),
  timelines: new Map(),
  users: new Map(),
  presence: new Map(),
  typing: new Map(),
  outgoing: new Map(),
  service: INITIAL_SERVICE,
};

function updateTimeline(state: AppState, conversationId: string, update: (timeline: Timeline) => Timeline): AppState {
  const current = state.timelines.get(conversationId) ?? EMPTY_TIMELINE;
  const next = update(current);
  return next === current ? state : { ...state, timelines: withEntry(state.timelines, conversationId, next) };
}

function myLastRead(conversation: Conversation, meId: string | undefined): number {
  return conversation.members.find((member) => member.userId === meId)?.lastReadSeq ?? 0;
}

/** A new or re-delivered message updates its conversation's summary: last message, seq, unread, its sender's read mark. */
function summarise(conversation: Conversation, message: Message, meId: string | undefined): Conversation {
  const members = withSenderRead(conversation.members, message);
  const isNew = message.seq > conversation.lastSeq;
  if (!isNew) {
    const lastMessage = conversation.lastMessage?.id === message.id ? message : conversation.lastMessage;
    return lastMessage === conversation.lastMessage && members === conversation.members ? conversation : { ...conversation, lastMessage, members };
  }
  const fromOther = message.senderId !== meId && message.kind === 'text';
  const unread = fromOther && message.seq > myLastRead(conversation, meId) ? conversation.unread + 1 : conversation.unread;
  return {
    ...conversation,
    lastSeq: message.seq,
    lastMessage: message,
    updatedAt: Math.max(conversation.updatedAt, message.createdAt),
    unread: message.senderId === meId ? 0 : unread,
    members,
  };
}

/**
 * The sender has read up to their own message: the server moves their read mark as it stores it,
 * so a reply shows as "seen" here as it will after a reload (also when it arrives after a newer one).
 */
function withSenderRead(members: Member[], message: Message): Member[] {
  const sender = members.find((member) => member.userId === message.senderId);
  if (!sender || sender.lastReadSeq >= message.seq) return members;
  return members.map((member) => (member === sender ? { ...member, lastReadSeq: message.seq } : member));
}

/** A summary's members with each one's read mark no lower than we already knew (a summary may be older than live frames). */
function withKnownReads(incoming: Member[], current: Member[]): Member[] {
  const known = new Map(current.map((member) => [member.userId, member.lastReadSeq]));
  return incoming.map((member) => {
    const mark = known.get(member.userId);
    return mark !== undefined && mark > member.lastReadSeq ? { ...member, lastReadSeq: mark } : member;
  });
}

function applyMessage(state: AppState, message: Message): AppState {
  const meId = state.me?.id;
  let next = updateTimeline(state, message.conversationId, (timeline) => upsertMessage(timeline, message));
  const conversation = next.conversations.get(message.conversationId);
  if (conversation) {
    const summary = summarise(conversation, message, meId);
    if (summary !== conversation) next = { ...next, conversations: withEntry(next.conversations, conversation.id, summary) };
  }
  // Whoever just sent a message has stopped typing.
  const typers = next.typing.get(message.conversationId);
  if (typers?.has(message.senderId)) {
    next = { ...next, typing: withEntry(next.typing, message.conversationId, withoutEntry(typers, message.senderId)) };
  }
  return next;
}

function applyRead(state: AppState, conversationId: string, userId: string, seq: number): AppState {
  const conversation = state.conversations.get(conversationId);
  if (!conversation) return state;
  let changed = false;
  const members = conversation.members.map((member) => {
    if (member.userId !== userId || member.lastReadSeq >= seq) return member;
    changed = true;
    return { ...member, lastReadSeq: seq };
  });
  let unread = conversation.unread;
  if (userId === state.me?.id) {
    unread = seq >= conversation.lastSeq ? 0 : Math.min(unread, conversation.lastSeq - seq);
  }
  if (!changed && unread === conversation.unread) return state;
  return { ...state, conversations: withEntry(state.conversations, conversationId, { ...conversation, members, unread }) };
}

function mergeUsers(users: ReadonlyMap<string, User>, incoming: readonly User[]): ReadonlyMap<string, User> {
  const next = new Map(users);
  for (const user of incoming) next.set(user.id, user);
  return next;
}

export function reducer(state: AppState, action: Action): AppState {
  if (isServiceAction(action)) {
    const service = serviceReducer(state.service, action);
    return service === state.service ? state : { ...state, service };
  }
  switch (action.type) {
    case 'session.started':
      return { ...state, me: action.user, permissions: action.permissions, users: withEntry(state.users, action.user.id, action.user) };
    case 'session.cleared':
      return INITIAL_STATE;
    case 'connection':
      return state.connection === action.status ? state : { ...state, connection: action.status };
    case 'welcome': {
      const conversations = new Map<string, Conversation>();
      for (const conversation of action.conversations) conversations.set(conversation.id, conversation);
      const presence = withPresence(state.presence, action.presence);
      // Timelines of conversations the user no longer belongs to are dropped.
      const timelines = new Map([...state.timelines].filter(([id]) => conversations.has(id)));
      return {
        ...state,
        me: action.user,
        permissions: action.permissions,
        ready: true,
        conversations,
        timelines,
        presence,
        users: withEntry(state.users, action.user.id, action.user),
      };
    }
    case 'directory':
      return { ...state, users: mergeUsers(state.users, action.users), presence: withPresence(state.presence, action.presence) };
    case 'presence.snapshot':
      return { ...state, presence: withPresence(state.presence, action.presence) };
    case 'user':
      return {
        ...state,
        users: withEntry(state.users, action.user.id, action.user),
        me: state.me?.id === action.user.id ? action.user : state.me,
      };
    case 'presence':
      return state.presence.get(action.presence.userId) === action.presence.status
        ? state
        : { ...state, presence: withEntry(state.presence, action.presence.userId, action.presence.status) };
    case 'conversation': {
      const current = state.conversations.get(action.conversation.id);
      // A summary may be older than what live messages already told us; keep the newer last message.
      const incoming = action.conversation;
      const newest =
        current && current.lastSeq > incoming.lastSeq
          ? { ...incoming, lastSeq: current.lastSeq, lastMessage: current.lastMessage, unread: current.unread, updatedAt: current.updatedAt }
          : incoming;
      const merged = current ? { ...newest, members: withKnownReads(newest.members, current.members) } : newest;
      return { ...state, conversations: withEntry(state.conversations, merged.id, merged) };
    }
    case 'conversation.removed':
      return {
        ...state,
        conversations: withoutEntry(state.conversations, action.conversationId),
        timelines: withoutEntry(state.timelines, action.conversationId),
        typing: withoutEntry(state.typing, action.conversationId),
        outgoing: withoutEntry(state.outgoing, action.conversationId),
      };
    case 'message':
      return applyMessage(state, action.message);
    case 'messages': {
      let next = state;
      for (const message of action.messages) next = applyMessage(next, message);
      return next;
    }
    case 'message.updated': {
      let next = updateTimeline(state, action.message.conversationId, (timeline) => upsertMessage(timeline, action.message));
      const conversation = next.conversations.get(action.message.conversationId);
      if (conversation?.lastMessage?.id === action.message.id) {
        next = { ...next, conversations: withEntry(next.conversations, conversation.id, { ...conversation, lastMessage: action.message }) };
      }
      return next;
    }
    case 'typing': {
      if (action.userId === state.me?.id) return state;
      const typers = state.typing.get(action.conversationId) ?? new Map<string, number>();
      const nextTypers =
        action.state === 'start' ? withEntry(typers, action.userId, action.now + LIMITS.typingTtlMs) : withoutEntry(typers, action.userId);
      if (nextTypers === typers) return state;
      return { ...state, typing: withEntry(state.typing, action.conversationId, nextTypers) };
    }
    case 'read':
      return applyRead(state, action.conversationId, action.userId, action.seq);
    case 'timeline.loading':
      return updateTimeline(state, action.conversationId, (timeline) => ({ ...timeline, status: loadingStatus(timeline.status) }));
    case 'timeline.stale':
      // Edits and deletes made while disconnected are not in the catch-up: reload on next open.
      return updateTimeline(state, action.conversationId, (timeline) => (timeline.status === 'ready' ? { ...timeline, status: 'idle' } : timeline));
    case 'timeline.failed':
      return updateTimeline(state, action.conversationId, (timeline) => ({ ...timeline, status: failedStatus(timeline.status) }));
    case 'timeline.newest':
      return updateTimeline(state, action.conversationId, (timeline) => applyNewestPage(timeline, action.messages, action.hasMore));
    case 'timeline.olderLoading':
      return updateTimeline(state, action.conversationId, (timeline) => ({ ...timeline, olderStatus: 'loading' }));
    case 'timeline.olderFailed':
      return updateTimeline(state, action.conversationId, (timeline) => ({ ...timeline, olderStatus: 'error' }));
    case 'timeline.older':
      return updateTimeline(state, action.conversationId, (timeline) => prependOlderPage(timeline, action.messages, action.hasMore));
    case 'outgoing.set':
      return { ...state, outgoing: withOutgoing(state.outgoing, action.message.conversationId, action.message) };
    case 'outgoing.remove':
      {
      const outgoing = withoutOutgoing(state.outgoing, action.conversationId, action.clientId);
      return outgoing === state.outgoing ? state : { ...state, outgoing };
    }
  }
}

function withPresence(current: ReadonlyMap<string, PresenceStatus>, entries: readonly Presence[]): Map<string, PresenceStatus> {
  const presence = new Map(current);
  for (const entry of entries) presence.set(entry.userId, entry.status);
  return presence;
}

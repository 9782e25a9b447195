import { LIMITS, type ChatMessage } from '@switchboard/protocol';
import type { Action } from './actions.js';
import type { ServiceAction } from './serviceActions.js';
import type { ServiceState, VisitorTimeline } from './types.js';
import { failedStatus, loadingStatus, withEntry, withOutgoing, withoutEntry, withoutOutgoing } from './maps.js';

export const INITIAL_SERVICE: ServiceState = {
  duty: null,
  chats: new Map(),
  timelines: new Map(),
  outgoing: new Map(),
  typing: new Map(),
  readSeq: new Map(),
};

export const EMPTY_VISITOR_TIMELINE: VisitorTimeline = { messages: [], status: 'idle', hasOlder: true, olderStatus: 'idle' };

export function isServiceAction(action: Action): action is ServiceAction {
  return action.type.startsWith('service.');
}

/** Merges messages into a sorted list, one per seq (a later copy of the same seq replaces the earlier). */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  if (incoming.length === 0) return current;
  const last = current.at(-1);
  // The usual case: one live message after the last.
  if (incoming.length === 1 && incoming[0] && (!last || incoming[0].seq > last.seq)) return [...current, incoming[0]];
  const bySeq = new Map<number, ChatMessage>();
  for (const message of current) bySeq.set(message.seq, message);
  let changed = false;
  for (const message of incoming) {
    const existing = bySeq.get(message.seq);
    if (existing && existing.id === message.id && existing.body === message.body) continue;
    bySeq.set(message.seq, message);
    changed = true;
  }
  if (!changed) return current;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function updateTimeline(state: ServiceState, chatId: string, update: (timeline: VisitorTimeline) => VisitorTimeline): ServiceState {
  const current = state.timelines.get(chatId) ?? EMPTY_VISITOR_TIMELINE;
  const next = update(current);
  return next === current ? state : { ...state, timelines: withEntry(state.timelines, chatId, next) };
}

/** Messages newer than a chat's summary move its last message (the sidebar preview) forward. */
function withNewestInSummary(state: ServiceState, chatId: string, messages: readonly ChatMessage[]): ServiceState {
  const newest = messages.reduce<ChatMessage | undefined>((best, message) => (!best || message.seq > best.seq ? message : best), undefined);
  const entry = state.chats.get(chatId);
  if (!entry || !newest || newest.seq <= entry.chat.lastSeq) return state;
  return { ...state, chats: withEntry(state.chats, chatId, { ...entry, chat: { ...entry.chat, lastSeq: newest.seq, lastMessage: newest } }) };
}

export function serviceReducer(state: ServiceState, action: ServiceAction): ServiceState {
  switch (action.type) {
    case 'service.duty':
      return state.duty === action.status ? state : { ...state, duty: action.status };
    case 'service.chat': {
      const current = state.chats.get(action.chat.id);
      // A summary may be older than live messages already received: keep the newer last message.
      const incoming = action.chat;
      const chat =
        current && current.chat.lastSeq > incoming.lastSeq ? { ...incoming, lastSeq: current.chat.lastSeq, lastMessage: current.chat.lastMessage } : incoming;
      const listed = action.listed || (current?.listed ?? false);
      let next: ServiceState = { ...state, chats: withEntry(state.chats, chat.id, { chat, listed }) };
      // A summary newer than the loaded messages brings its last message along.
      const lastMessage = chat.lastMessage;
      const timeline = next.timelines.get(chat.id);
      if (lastMessage && timeline && lastMessage.seq <= (timeline.messages.at(-1)?.seq ?? 0) + 1) {
        next = updateTimeline(next, chat.id, (current) => {
          const messages = mergeMessages(current.messages, [lastMessage]);
          return messages === current.messages ? current : { ...current, messages };
        });
      }
      if (chat.status === 'closed' || !chat.visitor.online) next = { ...next, typing: withoutEntry(next.typing, chat.id) };
      return next;
    }
    case 'service.chat.removed': {
      const current = state.chats.get(action.chatId);
      if (!current) return state;
      // Until a newer summary comes, the chat no longer counts the agent in (no composer, no actions).
      const { agentId } = action;
      const chat =
        agentId === undefined
          ? current.chat
          : { ...current.chat, agentIds: current.chat.agentIds.filter((id) => id !== agentId), assigneeId: current.chat.assigneeId === agentId ? null : current.chat.assigneeId };
      return {
        ...state,
        chats: withEntry(state.chats, action.chatId, { chat, listed: false }),
        typing: withoutEntry(state.typing, action.chatId),
      };
    }
    case 'service.chat.dismissed': {
      let chats = state.chats;
      for (const chatId of action.chatIds) {
        const current = chats.get(chatId);
        if (current?.listed) chats = withEntry(chats, chatId, { ...current, listed: false });
      }
      return chats === state.chats ? state : { ...state, chats };
    }
    case 'service.messages': {
      let next = updateTimeline(state, action.chatId, (timeline) => {
        const messages = mergeMessages(timeline.messages, action.messages);
        return messages === timeline.messages ? timeline : { ...timeline, messages };
      });
      next = withNewestInSummary(next, action.chatId, action.messages);
      // A visitor who just sent a message has stopped typing.
      if (action.messages.some((message) => message.author === 'visitor')) next = { ...next, typing: withoutEntry(next.typing, action.chatId) };
      return next;
    }
    case 'service.timeline.loading':
      return updateTimeline(state, action.chatId, (timeline) => ({ ...timeline, status: loadingStatus(timeline.status) }));
    case 'service.timeline.failed':
      return updateTimeline(state, action.chatId, (timeline) => ({ ...timeline, status: failedStatus(timeline.status) }));
    case 'service.timeline.newest':
      return updateTimeline(withNewestInSummary(state, action.chatId, action.messages), action.chatId, (timeline) => {
        const page = mergeMessages([], action.messages);
        const pageFirst = page[0]?.seq;
        const pageLast = page.at(-1)?.seq ?? 0;
        const loadedLast = timeline.messages.at(-1)?.seq;
        const joins = timeline.status === 'ready' && loadedLast !== undefined && (pageFirst === undefined || pageFirst <= loadedLast + 1);
        if (joins) return { ...timeline, messages: mergeMessages(timeline.messages, page), status: 'ready' };
        // Start from the page, keeping live messages newer than it (they arrived during the request).
        const newer = timeline.messages.filter((message) => message.seq > pageLast);
        return { messages: mergeMessages(page, newer), status: 'ready', hasOlder: action.hasMore, olderStatus: 'idle' };
      });
    case 'service.timeline.olderLoading':
      return updateTimeline(state, action.chatId, (timeline) => ({ ...timeline, olderStatus: 'loading' }));
    case 'service.timeline.olderFailed':
      return updateTimeline(state, action.chatId, (timeline) => ({ ...timeline, olderStatus: 'error' }));
    case 'service.timeline.older':
      return updateTimeline(state, action.chatId, (timeline) => ({
        ...timeline,
        messages: mergeMessages(timeline.messages, action.messages),
        hasOlder: action.hasMore,
        olderStatus: 'idle',
      }));
    case 'service.outgoing.set':
      return { ...state, outgoing: withOutgoing(state.outgoing, action.message.chatId, action.message) };
    case 'service.outgoing.remove':
      {
      const outgoing = withoutOutgoing(state.outgoing, action.chatId, action.clientId);
      return outgoing === state.outgoing ? state : { ...state, outgoing };
    }
    case 'service.typing': {
      if (action.state === 'stop') {
        return state.typing.has(action.chatId) ? { ...state, typing: withoutEntry(state.typing, action.chatId) } : state;
      }
      return { ...state, typing: withEntry(state.typing, action.chatId, action.now + LIMITS.typingTtlMs) };
    }
    case 'service.read':
      return (state.readSeq.get(action.chatId) ?? 0) >= action.seq ? state : { ...state, readSeq: withEntry(state.readSeq, action.chatId, action.seq) };
    case 'service.readMarks': {
      const readSeq = new Map(state.readSeq);
      for (const [chatId, seq] of action.marks) readSeq.set(chatId, Math.max(seq, readSeq.get(chatId) ?? 0));
      return { ...state, readSeq };
    }
  }
}

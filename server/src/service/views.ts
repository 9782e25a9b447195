import type { ChatMessage, ChatSummary, VisitorChatView, VisitorInfo } from '@switchboard/protocol';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import type { StoredChatMessage } from './store/messages.js';
import type { VisitorRecord } from './store/visitors.js';

/** How agents and visitors see chats. The visitor's token never appears in any of these. */
export class ChatViews {
  constructor(private readonly repos: ServiceRepositories) {}

  async summary(chat: ChatRecord | string): Promise<ChatSummary | undefined> {
    const record = typeof chat === 'string' ? await this.repos.chats.find(chat) : chat;
    if (!record) return undefined;
    return (await this.summaries([record]))[0];
  }

  /** Agent-side summaries, in the order given. */
  async summaries(chats: readonly ChatRecord[]): Promise<ChatSummary[]> {
    if (chats.length === 0) return [];
    const [visitors, invitees, lastMessages] = await Promise.all([
      this.repos.visitors.findMany([...new Set(chats.map((chat) => chat.visitorId))]),
      this.repos.chats.inviteesOf(chats.map((chat) => chat.id)),
      this.repos.messages.lastOf(chats),
    ]);
    const visitorBy = new Map(visitors.map((visitor) => [visitor.id, visitor]));
    return chats.flatMap((chat) => {
      const visitor = visitorBy.get(chat.visitorId);
      if (!visitor) return [];
      const last = lastMessages.get(chat.id);
      return [
        {
          id: chat.id,
          siteId: chat.siteId,
          departmentId: chat.departmentId,
          status: chat.status,
          visitor: visitorInfo(visitor),
          agentIds: agentIdsOf(chat, invitees.get(chat.id) ?? []),
          assigneeId: chat.assigneeId,
          lastSeq: chat.lastSeq,
          lastMessage: last ? agentMessage(last) : null,
          createdAt: chat.createdAt,
          assignedAt: chat.assignedAt,
          closedAt: chat.closedAt,
          closedBy: chat.closedBy,
        },
      ];
    });
  }

  /** Every agent in the chat: the assignee (for a closed chat: the last one) first, then invited colleagues. */
  async agentIds(chat: ChatRecord): Promise<string[]> {
    const invitees = await this.repos.chats.inviteesOf([chat.id]);
    return agentIdsOf(chat, invitees.get(chat.id) ?? []);
  }

  async visitorView(chat: ChatRecord): Promise<VisitorChatView> {
    return (await this.visitorViews([chat]))[0] as VisitorChatView;
  }

  /** Visitor-side views, in the order given (one read for all the assignees' names). */
  async visitorViews(chats: readonly ChatRecord[]): Promise<VisitorChatView[]> {
    const assigneeIds = [...new Set(chats.flatMap((chat) => (chat.status === 'assigned' && chat.assigneeId ? [chat.assigneeId] : [])))];
    const [positions, assignees] = await Promise.all([
      Promise.all(chats.map((chat) => this.repos.chats.queuePosition(chat))),
      this.repos.agents.findMany(assigneeIds),
    ]);
    const nameOf = new Map(assignees.map((agent) => [agent.userId, agent.displayName]));
    return chats.map((chat, i) => ({
      id: chat.id,
      status: chat.status,
      queuePosition: positions[i] ?? null,
      agentName: chat.status === 'assigned' && chat.assigneeId ? (nameOf.get(chat.assigneeId) ?? null) : null,
      closed: chat.status === 'closed',
    }));
  }
}

function agentIdsOf(chat: ChatRecord, invitees: readonly string[]): string[] {
  const assignee = chat.assigneeId;
  return [...(assignee ? [assignee] : []), ...invitees.filter((id) => id !== assignee)];
}

export function visitorInfo(visitor: VisitorRecord): VisitorInfo {
  return {
    id: visitor.id,
    name: visitor.name,
    email: visitor.email,
    page: visitor.page,
    userAgent: visitor.userAgent,
    language: visitor.language,
    fields: visitor.fields,
    online: visitor.online,
  };
}

/** A message as agents see it (everything, notes included). */
export function agentMessage(message: StoredChatMessage): ChatMessage {
  const { visible: _visible, ...rest } = message;
  return rest;
}

/** A message as the visitor sees it: no agent ids, no other sender's client ids. Notes never get here. */
export function visitorMessage(message: StoredChatMessage): ChatMessage {
  return {
    id: message.id,
    chatId: message.chatId,
    seq: message.seq,
    author: message.author,
    agentId: null,
    authorName: message.authorName,
    clientId: message.author === 'visitor' ? message.clientId : null,
    body: message.body,
    ...(message.event ? { event: message.event } : {}),
    createdAt: message.createdAt,
  };
}

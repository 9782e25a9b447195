import type { DutyStatus, VisitorChatView, VisitorServerFrame } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';
import type { ServiceAgentEvent } from '../bus/events.js';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import type { StoredChatMessage } from './store/messages.js';
import { agentMessage, visitorMessage, type ChatViews } from './views.js';

export interface AnnouncedChat {
  chat: ChatRecord;
  /** The agents in the chat, who got its summary. */
  agentIds: string[];
  view: VisitorChatView;
}

/**
 * Everything the CS system tells others, after the change is committed: agents through the IM
 * server ('service.agent' events, which the IM bridge turns into frames), visitors directly
 * ('visitor.deliver', picked up by whichever node holds the visitor's sockets).
 */
export class Notifier {
  constructor(
    private readonly bus: Bus,
    private readonly repos: ServiceRepositories,
    private readonly views: ChatViews,
  ) {}

  toAgents(event: ServiceAgentEvent): void {
    if ('agentIds' in event && event.agentIds.length === 0) return;
    this.bus.publish('service.agent', event);
  }

  toVisitor(visitorId: string, frame: VisitorServerFrame): void {
    this.bus.publish('visitor.deliver', { visitorId, frame });
  }

  duty(agentId: string, status: DutyStatus, reason?: string): void {
    this.toAgents({ kind: 'duty', agentId, status, ...(reason ? { reason } : {}) });
  }

  /**
   * The chat changed: every agent in it (plus `alsoAgentIds`) gets the new summary, the visitor
   * the new view. Returns the fresh record.
   */
  async chat(chatOrId: ChatRecord | string, alsoAgentIds: readonly string[] = []): Promise<ChatRecord | undefined> {
    const [changed] = await this.chats([typeof chatOrId === 'string' ? chatOrId : chatOrId.id], alsoAgentIds);
    return changed?.chat;
  }

  /** chat() for several chats at once (a few reads for all); the fresh records with the agents in each and the visitor's view. */
  async chats(chatIds: readonly string[], alsoAgentIds: readonly string[] = []): Promise<AnnouncedChat[]> {
    const found = new Map((await this.repos.chats.findMany(chatIds)).map((chat) => [chat.id, chat]));
    return this.announce(chatIds.flatMap((id) => found.get(id) ?? []), alsoAgentIds);
  }

  /** chats() for records the caller has: each chat as given (the summary's last message is the one at its lastSeq). */
  async announce(chats: readonly ChatRecord[], alsoAgentIds: readonly string[] = []): Promise<AnnouncedChat[]> {
    if (chats.length === 0) return [];
    const [summaries, views] = await Promise.all([this.views.summaries(chats), this.views.visitorViews(chats)]);
    const summaryOf = new Map(summaries.map((summary) => [summary.id, summary]));
    return chats.map((chat, i) => {
      const summary = summaryOf.get(chat.id);
      if (summary) this.toAgents({ kind: 'chat', agentIds: [...new Set([...summary.agentIds, ...alsoAgentIds])], chat: summary });
      const view = views[i] as VisitorChatView;
      this.toVisitor(chat.visitorId, { type: 'v.chat', chat: view });
      return { chat, agentIds: summary?.agentIds ?? [], view };
    });
  }

  removed(agentIds: readonly string[], chatId: string, reason: string): void {
    this.toAgents({ kind: 'chat.removed', agentIds, chatId, reason });
  }

  /** A stored message: to the agents in the chat (when known, `agentIds`), and to the visitor unless it is internal. */
  async message(chat: ChatRecord, message: StoredChatMessage, knownAgentIds?: readonly string[]): Promise<void> {
    const agentIds = knownAgentIds ?? (await this.views.agentIds(chat));
    this.toAgents({ kind: 'message', agentIds, message: agentMessage(message) });
    if (message.visible) this.toVisitor(chat.visitorId, { type: 'v.message', message: visitorMessage(message) });
  }

  /** Every queued visitor learns their current place in the queue. */
  async queuePositions(limit = 500): Promise<void> {
    const queued = await this.repos.chats.queued(limit);
    queued.forEach((chat, index) => {
      this.toVisitor(chat.visitorId, { type: 'v.chat', chat: { id: chat.id, status: 'queued', queuePosition: index + 1, agentName: null, closed: false } });
    });
  }
}

import type { ChatHistoryResponse, ChatSummary, TranscriptsResponse } from '@switchboard/protocol';
import { errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import { agentMessage, type ChatViews } from './views.js';

/**
 * What agents read over HTTP: their open chats, any chat's summary and full history (notes
 * included — a colleague asked for help opens the chat from a link), a visitor's earlier chats, and
 * transcript search. Visitors never reach these; the visitor's token is in none of them.
 */
export class Transcripts {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly views: ChatViews,
  ) {}

  async openFor(agentId: string): Promise<ChatSummary[]> {
    return this.views.summaries(await this.repos.chats.openForAgent(agentId));
  }

  async chat(chatId: string): Promise<ChatSummary> {
    const summary = await this.views.summary(chatId);
    if (!summary) throw errors.notFound('Chat');
    return summary;
  }

  async history(chatId: string, before: number | undefined, limit: number): Promise<ChatHistoryResponse> {
    if (!(await this.repos.chats.find(chatId))) throw errors.notFound('Chat');
    const page = await this.repos.messages.before(chatId, before, limit, false);
    return { messages: page.messages.map(agentMessage), hasMore: page.hasMore };
  }

  async visitorChats(visitorId: string): Promise<ChatSummary[]> {
    if (!(await this.repos.visitors.find(visitorId))) throw errors.notFound('Visitor');
    return this.views.summaries(await this.repos.chats.forVisitor(visitorId, 100));
  }

  async search(options: { q?: string | undefined; status: 'closed' | 'all'; before?: number | undefined; limit: number }): Promise<TranscriptsResponse> {
    const page = await this.repos.chats.search({ text: options.q || undefined, closedOnly: options.status === 'closed', before: options.before, limit: options.limit });
    return { chats: await this.views.summaries(page.chats), hasMore: page.hasMore };
  }

  /**
   * The text of a help request to a colleague: a link to the chat and what it is about. The asker
   * must be in the chat.
   */
  async helpRequest(chatId: string, note: string | undefined): Promise<string> {
    const summary = await this.chat(chatId);
    const recent = (await this.repos.messages.before(chatId, undefined, 5, true)).messages.filter((message) => message.author === 'visitor' || message.author === 'agent');
    const visitor = summary.visitor;
    const who = [visitor.name ?? 'A visitor', visitor.email ? `<${visitor.email}>` : ''].filter(Boolean).join(' ');
    const lines = [
      note ? note : 'Could you help me with a visitor chat?',
      '',
      `Visitor chat: /app/#/visitors/${chatId}`,
      `${who}${visitor.page ? ` on ${visitor.page.url}` : ''}`,
      ...recent.map((message) => `> ${message.author === 'visitor' ? (visitor.name ?? 'Visitor') : (message.authorName ?? 'Agent')}: ${oneLine(message.body)}`),
    ];
    return lines.join('\n').slice(0, 7900);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

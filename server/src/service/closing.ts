import type { ChatEvent } from '@switchboard/protocol';
import { errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord, ClosedBy } from './store/chats.js';
import type { ChatAppendOutcome } from './store/messages.js';
import { attempt } from './store/writes.js';
import { chatEvent, type SystemLines } from './announce.js';
import type { Notifier } from './notify.js';
import type { ChatQueue } from './queue.js';
import type { Relay } from './relay.js';

/** Ending a chat. The transcript stays (searchable by agents); the assignee's seat is freed at once. */
export class ChatClosing {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly notify: Notifier,
    private readonly lines: SystemLines,
    private readonly queue: ChatQueue,
    private readonly relay: Relay,
    private readonly now: () => number,
  ) {}

  async byVisitor(visitorId: string): Promise<void> {
    const chat = await this.repos.chats.openForVisitor(visitorId);
    if (!chat) throw errors.notFound('Chat');
    await this.close(chat.id, 'visitor', chatEvent('chat_closed_by_visitor'), chat);
  }

  /**
   * `visitor.close` from an agent. The assignee (or any agent in a chat waiting in the queue) ends
   * the chat; an invited colleague only leaves it.
   */
  async byAgent(agentId: string, agentName: string, chatId: string): Promise<void> {
    const chat = await this.relay.requireAgentIn(agentId, chatId);
    if (chat.status === 'assigned' && chat.assigneeId !== agentId) {
      if (!(await this.repos.chats.uninvite(chatId, agentId))) throw errors.notFound('Chat');
      this.notify.removed([agentId], chatId, 'left');
      const fresh = await this.notify.chat(chatId);
      if (fresh) await this.lines.post(fresh, chatEvent('agent_left', { agent: agentName }), false);
      return;
    }
    await this.close(chatId, 'agent', chatEvent('chat_closed_by_agent', { agent: agentName }), chat);
  }

  /** Sweeper: chats whose visitor has been gone for `abandonMs` end, so the agent's seat is free again. */
  async sweepAbandoned(abandonMs: number): Promise<void> {
    if (abandonMs <= 0) return;
    for (const chat of await this.repos.chats.abandoned(this.now() - abandonMs, 100)) {
      await this.close(chat.id, 'system', chatEvent('chat_closed_abandoned'));
    }
  }

  /**
   * Closes the chat and tells everyone (`line`: the system line saying so, stored with the close);
   * false when it was already closed. `known`: the caller's fresh read of the chat.
   */
  async close(chatId: string, by: ClosedBy, line: ChatEvent, known?: ChatRecord): Promise<boolean> {
    const done = await this.closeWithLine(chatId, by, line, known);
    if (!done) return false;
    await this.lines.announceChanged([{ chatId, line: done.line }]);
    if (done.before.status === 'assigned') await this.queue.drain();
    else await this.notify.queuePositions();
    return true;
  }

  /** The chat as it was before closing and the stored line; undefined if it was (or got) closed by someone else. */
  private async closeWithLine(chatId: string, by: ClosedBy, line: ChatEvent, known?: ChatRecord): Promise<{ before: ChatRecord; line: ChatAppendOutcome } | undefined> {
    // The close is conditional on the chat as read: when it changed meanwhile (assigned, transferred), read it again.
    for (let round = 0; round < 5; round += 1) {
      const before = round === 0 && known ? known : await this.repos.chats.find(chatId);
      if (!before || before.status === 'closed') return undefined;
      const now = this.now();
      const made = await attempt(this.repos.writes, async (trx) => {
        await this.repos.chats.closeIn(trx, before, by, now);
        return this.lines.storeIn(trx, chatId, line, true);
      });
      if (made) return { before, line: made.value };
    }
    return undefined;
  }
}

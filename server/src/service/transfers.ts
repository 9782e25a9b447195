import type { AgentCommand } from '../bus/events.js';
import { AppError, errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import { chatEvent, type SystemLines } from './announce.js';
import type { ChatRouter } from './chatRouter.js';
import type { Notifier } from './notify.js';
import type { ChatQueue } from './queue.js';
import type { Relay } from './relay.js';

type TransferTarget = Extract<AgentCommand, { kind: 'transfer' }>['to'];

/**
 * Colleagues helping: hand a chat to another agent or department, bring a colleague into it, and
 * the reply timeout — an assignee who does not answer in time has the chat offered to the next
 * agent by the same rule. The history always goes with the chat (it belongs to the chat).
 */
export class Transfers {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly router: ChatRouter,
    private readonly notify: Notifier,
    private readonly lines: SystemLines,
    private readonly queue: ChatQueue,
    private readonly relay: Relay,
    private readonly now: () => number,
  ) {}

  async transfer(agentId: string, chatId: string, to: TransferTarget): Promise<void> {
    const chat = await this.relay.requireAgentIn(agentId, chatId);
    const holder = chat.status === 'assigned' ? chat.assigneeId : null;
    if (to.kind === 'agent') {
      if (to.agentId === holder) throw errors.badRequest('The chat is already with that agent.');
      const target = await this.repos.agents.find(to.agentId);
      if (!target) throw errors.conflict('That colleague is not on customer-service duty.');
      const now = this.now();
      const replyDueAt = await this.router.replyDueAt(now);
      const moved = holder
        ? await this.repos.chats.reassign(chatId, holder, to.agentId, now, { replyDueAt })
        : await this.repos.chats.assign(chatId, to.agentId, now, replyDueAt);
      if (!moved) throw errors.conflict(`${target.displayName} cannot take another chat right now.`);
      if (holder) this.notify.removed([holder], chatId, 'transferred');
      const fresh = await this.notify.chat(chatId);
      if (fresh) await this.lines.post(fresh, chatEvent('transferred_agent', { agent: target.displayName }), true);
      if (holder) await this.queue.drain();
      return;
    }

    const department = await this.repos.departments.find(to.departmentId);
    if (!department) throw errors.notFound('Department');
    if (holder) {
      if (!(await this.repos.chats.requeue(chatId, holder, this.now(), department.id))) throw errors.conflict('The chat changed meanwhile; try again.');
      this.notify.removed([holder], chatId, 'transferred');
    } else if (!(await this.repos.chats.moveQueued(chatId, department.id))) {
      throw errors.conflict('The chat changed meanwhile; try again.');
    }
    const queued = await this.repos.chats.find(chatId);
    if (queued) await this.lines.post(queued, chatEvent('transferred_department', { department: department.name }), true);
    // Someone else in the department first; the queue takes over if nobody has room.
    const next = queued ? await this.router.assign(queued, { exclude: holder ? [holder] : [] }) : undefined;
    if (next && queued) await this.queue.assigned(queued, next);
    else await this.notify.chat(chatId);
    await this.queue.drain();
  }

  async invite(agentId: string, agentName: string, chatId: string, colleagueId: string): Promise<void> {
    const chat = await this.relay.requireAgentIn(agentId, chatId);
    if (colleagueId === agentId || colleagueId === chat.assigneeId) throw errors.badRequest('That agent is already in the chat.');
    const colleague = await this.repos.agents.find(colleagueId);
    if (!colleague || colleague.dutyStatus === 'off') throw new AppError('conflict', `${colleague?.displayName ?? 'That colleague'} is not on customer-service duty.`);
    if (!(await this.repos.chats.invite(chatId, colleagueId, this.now()))) throw errors.conflict(`${colleague.displayName} is already in the chat.`);
    const fresh = await this.notify.chat(chatId, [colleagueId]);
    if (fresh) await this.lines.post(fresh, chatEvent('agent_invited', { agent: agentName, colleague: colleague.displayName }), false);
  }

  /** Sweeper: chats whose assignee let the reply time run out go to the next agent by the rule. */
  async sweepReplyTimeouts(): Promise<void> {
    const now = this.now();
    for (const chat of await this.repos.chats.replyDue(now, 100)) {
      const holder = chat.assigneeId;
      if (!holder) continue;
      const missed = [...new Set([...chat.missedAgentIds, holder])];
      const next = await this.router.reassign(chat, holder, { exclude: missed, onlyIfReplyDue: true, missedAgentIds: missed });
      if (next) {
        this.notify.removed([holder], chat.id, 'reply_timeout');
        await this.queue.assigned(chat, next);
        await this.queue.drain();
        continue;
      }
      // Nobody else has room: the chat stays; try again after another timeout.
      const due = await this.router.replyDueAt(this.now());
      await this.repos.chats.postponeReply(chat.id, now, due);
    }
  }
}

import type { ChatSummary, DutyStatus } from '@switchboard/protocol';
import type { ServiceRepositories } from './store/index.js';
import { chatEvent, type SystemLines } from './announce.js';
import type { Notifier } from './notify.js';
import type { ChatQueue } from './queue.js';
import type { ChatViews } from './views.js';
import type { Sites } from './sites.js';

export type OffDutyReason = 'agent' | 'logged_out' | 'disconnected' | 'lease_expired';

/**
 * Agent duty (patent step c). An agent is `available` (takes new chats), `away` (keeps the chats
 * they have, gets no new ones) or `off`. Going off duty — by choice, logout, a lost connection
 * after the grace period, or a lapsed lease — sends every chat they held back to routing, with its
 * whole history, and takes them out of chats they were invited to.
 *
 * The lease: every node regularly vouches for the agents connected to it ('alive' events update
 * seen_at). If a node dies, nobody vouches any more and the sweeper puts its agents off duty after
 * SWITCHBOARD_AGENT_LEASE_MS, so a crash or restart never leaves a ghost agent taking visitors.
 */
export class AgentDuty {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly notify: Notifier,
    private readonly lines: SystemLines,
    private readonly queue: ChatQueue,
    private readonly views: ChatViews,
    private readonly sites: Sites,
    private readonly options: { agentLeaseMs: number },
    private readonly now: () => number,
  ) {}

  /** `duty.set` from the agent's client. The agent's row is created on first use with defaults. */
  async set(agentId: string, agentName: string, status: DutyStatus, nodeId: string): Promise<DutyStatus> {
    await this.repos.agents.ensure(agentId, agentName, this.now());
    await this.repos.agents.seenOn(nodeId, [agentId], this.now());
    const previous = await this.repos.agents.setDuty(agentId, status, this.now());
    this.sites.forgetOnline();
    // Every tab of the agent shows the duty, also when it did not change (the asking tab's answer).
    this.notify.duty(agentId, status);
    if (previous === undefined) return status;
    if (status === 'off') await this.release(agentId, 'agent_off_duty');
    if (status === 'available') await this.queue.drain();
    return status;
  }

  /**
   * The IM server of `nodeId` says the agent is gone from it (logout, lost connection past the
   * grace period). They stay on duty while another node still vouches for them.
   */
  async gone(agentId: string, reason: OffDutyReason, nodeId?: string): Promise<void> {
    if (nodeId) {
      await this.repos.agents.goneFrom(nodeId, agentId);
      if (await this.repos.agents.onOtherNode(nodeId, agentId, this.now() - this.options.agentLeaseMs)) return;
    }
    const previous = await this.repos.agents.setDuty(agentId, 'off', this.now());
    this.sites.forgetOnline();
    if (previous === undefined) return;
    this.notify.duty(agentId, 'off', reason);
    await this.release(agentId, reason === 'agent' ? 'agent_off_duty' : reason);
  }

  /** What a (re)connecting agent's client needs: their duty and open chats. Refreshes the lease. */
  async sync(agentId: string, agentName: string, nodeId: string): Promise<{ status: DutyStatus; chats: ChatSummary[] }> {
    const agent = await this.repos.agents.find(agentId);
    if (!agent) return { status: 'off', chats: [] };
    if (agent.displayName !== agentName) await this.repos.agents.ensure(agentId, agentName, this.now());
    await this.repos.agents.seenOn(nodeId, [agentId], this.now());
    const chats = await this.repos.chats.openForAgent(agentId);
    return { status: agent.dutyStatus, chats: await this.views.summaries(chats) };
  }

  async alive(nodeId: string, agentIds: readonly string[]): Promise<void> {
    await this.repos.agents.seenOn(nodeId, agentIds, this.now());
  }

  /** Sweeper: agents on duty that no node has vouched for within the lease. */
  async sweepLapsed(): Promise<void> {
    const leaseMs = this.options.agentLeaseMs;
    for (const agentId of await this.repos.agents.lapsed(this.now() - leaseMs, 100)) await this.gone(agentId, 'lease_expired');
    await this.repos.agents.pruneNodes(this.now() - 2 * leaseMs);
  }

  /** Sends the agent's chats back to routing and takes them out of chats they were invited to. */
  private async release(agentId: string, reason: string): Promise<void> {
    const agent = await this.repos.agents.find(agentId);
    const name = agent?.displayName;
    for (const chat of await this.repos.chats.openForAgent(agentId)) {
      if (chat.status === 'assigned' && chat.assigneeId === agentId) {
        if (!(await this.repos.chats.requeue(chat.id, agentId, this.now()))) continue;
        this.notify.removed([agentId], chat.id, reason);
        const fresh = await this.notify.chat(chat.id);
        if (fresh) await this.lines.post(fresh, chatEvent('agent_unavailable', { agent: name }), true);
      } else if (await this.repos.chats.uninvite(chat.id, agentId)) {
        this.notify.removed([agentId], chat.id, reason);
        const fresh = await this.notify.chat(chat.id);
        if (fresh) await this.lines.post(fresh, chatEvent('agent_left_off_duty', { agent: name }), false);
      }
    }
    await this.queue.drain();
  }
}

import { randomInt } from 'node:crypto';
import type { RoutingRule } from '@switchboard/protocol';
import type { ServiceRepositories } from './store/index.js';
import type { AgentRecord } from './store/agents.js';
import type { ChatRecord } from './store/chats.js';

/*
 * Routing rules (patent step d: "assigns one by a predefined rule"). Each rule only ORDERS the
 * agents who have room right now; the router then tries them in that order with an atomic
 * conditional update, so a rule never has to be right about capacity — the database is.
 */

/** Any agent with room, uniformly at random. */
export function random(candidates: readonly AgentRecord[]): AgentRecord[] {
  const shuffled = [...candidates];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j] as AgentRecord, shuffled[i] as AgentRecord];
  }
  return shuffled;
}

/** The agent who was assigned a chat longest ago goes next, so agents take turns. */
export function roundRobin(candidates: readonly AgentRecord[]): AgentRecord[] {
  return [...candidates].sort(byTurn);
}

/** The highest priority agent with room; among equals, round-robin. */
export function priority(candidates: readonly AgentRecord[]): AgentRecord[] {
  return [...candidates].sort((a, b) => b.priority - a.priority || byTurn(a, b));
}

/** The agent with the fewest open chats; among equals, round-robin. */
export function leastBusy(candidates: readonly AgentRecord[]): AgentRecord[] {
  return [...candidates].sort((a, b) => a.activeChats - b.activeChats || byTurn(a, b));
}

export const RULES: Record<RoutingRule, (candidates: readonly AgentRecord[]) => AgentRecord[]> = {
  random,
  round_robin: roundRobin,
  priority,
  least_busy: leastBusy,
};

function byTurn(a: AgentRecord, b: AgentRecord): number {
  return a.lastAssignedAt - b.lastAssignedAt || a.dutyChangedAt - b.dutyChangedAt || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** At most this many agents are tried for one chat in one pass (the rest wait for the next). */
const MAX_TRIES = 25;

/** A proposed assignment: the chat and the agent the rule picked for it. */
export interface Proposal {
  chat: ChatRecord;
  agent: AgentRecord;
}

export interface Plan {
  proposals: Proposal[];
  /** The time to assign at, and the reply deadline that goes with it. */
  now: number;
  replyDueAt: number | null;
}

export interface RouteOptions {
  /** Agents who must not get the chat (the one transferring it away, those who missed it). */
  exclude?: readonly string[];
  /** Tried first if they have room (a returning visitor's last agent). */
  prefer?: string | null;
}

export class ChatRouter {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly now: () => number,
  ) {}

  /** The agents who could take `chat` now, in the order the configured rule prefers. */
  async order(chat: ChatRecord, options: RouteOptions = {}): Promise<AgentRecord[]> {
    const settings = await this.repos.settings.get();
    const candidates = await this.repos.agents.candidates(chat.departmentId, options.exclude ?? []);
    const ordered = RULES[settings.routingRule](candidates);
    const preferred = options.prefer ? ordered.findIndex((agent) => agent.userId === options.prefer) : -1;
    if (preferred > 0) ordered.unshift(...ordered.splice(preferred, 1));
    return ordered.slice(0, MAX_TRIES);
  }

  /**
   * An agent for each queued chat (longest waiter first) by the configured rule, over one snapshot
   * of the agents with room whose counts move with every pick, so one pass spreads the chats as
   * routing them one at a time would. Only a proposal: each assignment is made by the conditional
   * update, which has the last word (another node may have taken the seat meanwhile).
   */
  async plan(chats: readonly ChatRecord[]): Promise<Plan> {
    const now = this.now();
    // Nothing waits: the common case of a drain after every change of room.
    if (chats.length === 0) return { proposals: [], now, replyDueAt: null };
    const settings = await this.repos.settings.get();
    const replyDueAt = settings.replyTimeoutMs > 0 ? now + settings.replyTimeoutMs : null;
    const visitors = await this.repos.visitors.findMany([...new Set(chats.map((chat) => chat.visitorId))]);
    const lastAgentOf = new Map(visitors.map((visitor) => [visitor.id, visitor.lastAgentId]));
    const withDepartments = chats.some((chat) => chat.departmentId !== null);
    const agents = await this.snapshot(settings.routingRule, chats.length, withDepartments, [...lastAgentOf.values()].flatMap((id) => (id ? [id] : [])));
    if (agents.length === 0) return { proposals: [], now, replyDueAt };
    const departments = withDepartments ? await this.repos.agents.departmentsOf(agents.map((agent) => agent.userId)) : new Map<string, string[]>();
    const snapshot = agents.map((agent) => ({ ...agent }));
    const proposals: Proposal[] = [];
    for (const chat of chats) {
      const open = snapshot.filter((agent) => agent.activeChats < agent.maxChats && (chat.departmentId === null || departments.get(agent.userId)?.includes(chat.departmentId)));
      if (open.length === 0) continue;
      const last = lastAgentOf.get(chat.visitorId);
      const agent = open.find((candidate) => candidate.userId === last) ?? (RULES[settings.routingRule](open)[0] as AgentRecord);
      agent.activeChats += 1;
      // Later than any stored time, and in pick order, so round-robin moves on within the pass.
      agent.lastAssignedAt = now + proposals.length / 1e6;
      proposals.push({ chat, agent });
    }
    return { proposals, now, replyDueAt };
  }

  /**
   * The agents a plan for `count` chats chooses from. Under rules whose picks go down the rule's
   * order one agent per chat, the first `count` by that order (and the visitors' last agents)
   * are all it can pick; least_busy and departments need everyone with room.
   */
  private snapshot(rule: RoutingRule, count: number, withDepartments: boolean, lastAgents: readonly string[]): Promise<AgentRecord[]> {
    if (withDepartments || rule === 'least_busy') return this.repos.agents.candidates(null, []);
    return this.repos.agents.firstCandidates(rule, count, lastAgents);
  }

  /** Deadline for the assignee's first reply, from the current setting (null: no timeout). */
  async replyDueAt(now: number): Promise<number | null> {
    const { replyTimeoutMs } = await this.repos.settings.get();
    return replyTimeoutMs > 0 ? now + replyTimeoutMs : null;
  }

  /** Assigns a queued chat; the agent who got it, or undefined (nobody had room, or it is no longer queued). */
  async assign(chat: ChatRecord, options: RouteOptions = {}): Promise<string | undefined> {
    for (const agent of await this.order(chat, options)) {
      const now = this.now();
      if (await this.repos.chats.assign(chat.id, agent.userId, now, await this.replyDueAt(now))) return agent.userId;
      const fresh = await this.repos.chats.find(chat.id);
      if (fresh?.status !== 'queued') return undefined;
    }
    return undefined;
  }

  /** Moves an assigned chat from `fromId` to the next agent by the rule; the new agent, or undefined. */
  async reassign(chat: ChatRecord, fromId: string, options: RouteOptions & { onlyIfReplyDue?: boolean; missedAgentIds?: string[] }): Promise<string | undefined> {
    for (const agent of await this.order(chat, { ...options, exclude: [...(options.exclude ?? []), fromId] })) {
      const now = this.now();
      const moved = await this.repos.chats.reassign(chat.id, fromId, agent.userId, now, {
        replyDueAt: await this.replyDueAt(now),
        ...(options.onlyIfReplyDue ? { onlyIfReplyDue: true } : {}),
        ...(options.missedAgentIds ? { missedAgentIds: options.missedAgentIds } : {}),
      });
      if (moved) return agent.userId;
      const fresh = await this.repos.chats.find(chat.id);
      if (fresh?.status !== 'assigned' || fresh.assigneeId !== fromId) return undefined;
      if (options.onlyIfReplyDue && (fresh.replyDueAt === null || fresh.replyDueAt > now)) return undefined;
    }
    return undefined;
  }
}

import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';
import type { AgentCommand, AgentCommandKind, AgentCommandResults, ServiceAgentEvent } from '../bus/events.js';
import { AppError } from '../errors.js';
import type { PresenceService } from './presence.js';

export interface ServiceBridgeOptions {
  /** This node's id (the CS system tracks which nodes an agent is connected to). */
  nodeId: string;
  /** How long after an agent's last socket closed they are reported gone (a reload must not count). */
  agentGraceMs: number;
  /** How often this node vouches for its connected agents (the CS system's duty lease). */
  leaseRefreshMs: number;
  /** How long an agent command may wait for the CS system's answer. */
  requestTimeoutMs?: number;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: AppError) => void;
  timer: NodeJS.Timeout;
}

/**
 * The IM server's side of customer service (patent steps c-f). Agent commands from the IM client
 * go to the CS system as 'im.agent' events and their answers come back on 'service.agent'; the
 * CS system's notifications (chat assigned, visitor message, typing, duty) become 'deliver' events
 * to the agent's sockets, like any IM frame. The IM server also tells the CS system when an agent
 * is gone: at logout at once, after a lost connection only when the grace period passed without a
 * reconnect. It never touches the CS tables.
 */
export class ServiceBridge {
  private readonly pending = new Map<string, Pending>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** Agents (cs.agent) with a live socket on this node. */
  private readonly connectedAgents = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly presence: PresenceService,
    private readonly options: ServiceBridgeOptions,
  ) {}

  start(): void {
    this.unsubscribe = this.bus.subscribe('service.agent', (event) => this.onServiceEvent(event));
    this.leaseTimer = setInterval(() => {
      if (this.connectedAgents.size > 0) this.bus.publish('im.agent', { kind: 'alive', nodeId: this.options.nodeId, agentIds: [...this.connectedAgents] });
    }, this.options.leaseRefreshMs);
    this.leaseTimer.unref();
  }

  /** Sends an agent's command to the CS system; resolves with its answer after the CS system committed. */
  request<K extends AgentCommandKind>(agentId: string, agentName: string, command: Extract<AgentCommand, { kind: K }>): Promise<AgentCommandResults[K]> {
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new AppError('unavailable', 'Customer service did not answer; try again.'));
      }, this.options.requestTimeoutMs ?? 15_000);
      timer.unref();
      this.pending.set(requestId, { resolve: resolve as (result: unknown) => void, reject, timer });
      this.bus.publish('im.agent', { kind: 'command', requestId, nodeId: this.options.nodeId, agentId, agentName, command });
    });
  }

  /** An agent's socket said hello: a pending "gone" is called off. */
  agentConnected(agentId: string): void {
    const timer = this.graceTimers.get(agentId);
    if (timer) clearTimeout(timer);
    this.graceTimers.delete(agentId);
    this.connectedAgents.add(agentId);
  }

  /**
   * An agent's socket closed. When it was their last one on this node: gone at once if their
   * session ended (logout), otherwise after the grace period unless they reconnect.
   */
  agentDisconnected(agentId: string, sessionEnded: boolean): void {
    if (this.presence.isConnected(agentId)) return;
    this.connectedAgents.delete(agentId);
    const existing = this.graceTimers.get(agentId);
    if (existing) clearTimeout(existing);
    this.graceTimers.delete(agentId);
    if (sessionEnded || this.options.agentGraceMs === 0) {
      this.bus.publish('im.agent', { kind: 'gone', nodeId: this.options.nodeId, agentId, reason: sessionEnded ? 'logged_out' : 'disconnected' });
      return;
    }
    const timer = setTimeout(() => {
      this.graceTimers.delete(agentId);
      if (!this.presence.isConnected(agentId)) this.bus.publish('im.agent', { kind: 'gone', nodeId: this.options.nodeId, agentId, reason: 'disconnected' });
    }, this.options.agentGraceMs);
    timer.unref();
    this.graceTimers.set(agentId, timer);
  }

  /** True while the agent's grace period runs (their last socket closed, no reconnect yet). */
  isLeaving(agentId: string): boolean {
    return this.graceTimers.has(agentId);
  }

  /**
   * Stops without reporting anyone gone: after a restart agents reconnect, and those who do not
   * are put off duty when their lease runs out.
   */
  stop(): void {
    this.unsubscribe?.();
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    for (const [requestId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new AppError('unavailable', 'The server is restarting; try again.'));
      this.pending.delete(requestId);
    }
  }

  private onServiceEvent(event: ServiceAgentEvent): void {
    if (event.kind === 'reply') {
      const pending = this.pending.get(event.requestId);
      if (!pending) return;
      this.pending.delete(event.requestId);
      clearTimeout(pending.timer);
      if (event.ok) pending.resolve(event.result);
      else pending.reject(new AppError(event.error.code, event.error.message, event.error.issues));
      return;
    }
    const [userIds, frame] = toFrame(event);
    if (userIds.length > 0) this.bus.publish('deliver', { recipients: { userIds }, frame });
  }
}

function toFrame(event: Exclude<ServiceAgentEvent, { kind: 'reply' }>): [readonly string[], ServerFrame] {
  switch (event.kind) {
    case 'duty':
      return [[event.agentId], { type: 'duty', status: event.status, ...(event.reason ? { reason: event.reason } : {}) }];
    case 'chat':
      return [event.agentIds, { type: 'visitor.chat', chat: event.chat }];
    case 'chat.removed':
      return [event.agentIds, { type: 'visitor.chat.removed', chatId: event.chatId, reason: event.reason }];
    case 'message':
      return [event.agentIds, { type: 'visitor.message', message: event.message }];
    case 'typing':
      return [event.agentIds, { type: 'visitor.typing', chatId: event.chatId, state: event.state }];
  }
}

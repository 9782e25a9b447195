import type { ChatMessage, ChatSummary, DutyStatus, ErrorBody, PresenceStatus, ServerFrame, VisitorServerFrame } from '@switchboard/protocol';

/** Who receives a delivery. Decided once, by the command that emits the event. */
export type Recipients =
  | { userIds: readonly string[] }
  | { everyone: true }
  /** Everyone who watches this user's presence: their contacts and subscribers (see gateway/ws/presenceAudience.ts). */
  | { watchersOf: string };

/** A frame for every socket of the recipients, on whichever node they are connected. */
export interface DeliverEvent {
  recipients: Recipients;
  frame: ServerFrame;
  /** Only this node's sockets (each node announces presence to its own sockets from its own view). */
  localOnly?: boolean;
}

/**
 * Presence of one node's connections, shared so every node can combine them (crosses nodes).
 * `change` carries the user's status on that node alone; `snapshot` all of them (periodically and
 * when a node asks with `hello`); a node that stops sending is forgotten after a timeout.
 */
export type PresenceNodeEvent =
  | { kind: 'change'; nodeId: string; userId: string; status: PresenceStatus }
  | { kind: 'snapshot'; nodeId: string; statuses: readonly (readonly [string, PresenceStatus])[] }
  | { kind: 'hello'; nodeId: string }
  | { kind: 'gone'; nodeId: string };

/** Sessions that ended (logout elsewhere, password change, account disabled): their sockets close. */
export interface SessionsEndedEvent {
  sessionIds: readonly string[];
  reason: string;
}

/*
 * ---- IM server ⇄ customer-service system (patent steps c-f) ----
 *
 * The two parts talk only through the channels below. 'im.agent' (IM → CS) and 'service.agent'
 * (CS → IM) are NODE-LOCAL command channels: each node's CS system handles the agent commands of
 * the agents connected to that node, and answers on the same node. In a cluster (Redis bus) they
 * must never be forwarded to other nodes; only 'deliver', 'sessions.ended' and 'visitor.deliver'
 * cross nodes (the first two reach the IM sockets wherever an agent is connected, the last one the
 * visitor's sockets wherever the visitor is connected). Correctness of routing never rests on the
 * bus: assignment, capacity and timers live in the database (conditional updates, a sweeper).
 */

/** What an agent asked for, as the IM server relays it to the CS system. */
export type AgentCommand =
  /** The agent's connection is ready: answer with their duty and open visitor chats. */
  | { kind: 'sync' }
  | { kind: 'duty.set'; status: DutyStatus }
  | { kind: 'send'; chatId: string; clientId: string; body: string }
  | { kind: 'note'; chatId: string; clientId: string; body: string }
  | { kind: 'typing'; chatId: string; state: 'start' | 'stop' }
  | { kind: 'close'; chatId: string }
  | { kind: 'transfer'; chatId: string; to: { kind: 'agent'; agentId: string } | { kind: 'department'; departmentId: string } }
  | { kind: 'invite'; chatId: string; agentId: string };

export type AgentCommandKind = AgentCommand['kind'];

/** The CS system's answer to one command, by kind. */
export interface AgentCommandResults {
  sync: { status: DutyStatus; chats: ChatSummary[] };
  'duty.set': { status: DutyStatus };
  send: { message: ChatMessage };
  note: { message: ChatMessage };
  typing: Record<string, never>;
  close: Record<string, never>;
  transfer: Record<string, never>;
  invite: Record<string, never>;
}

/** IM → CS, node-local. */
export type ImAgentEvent =
  /** A command from an agent's client; answered with a 'reply' on 'service.agent' carrying the same requestId. */
  | { kind: 'command'; requestId: string; nodeId: string; agentId: string; agentName: string; command: AgentCommand }
  /**
   * The agent is gone from this node: logged out, or their last socket closed and the grace
   * period passed without a reconnect. Unless another node still has them, the CS system puts them
   * off duty and re-routes their chats.
   */
  | { kind: 'gone'; nodeId: string; agentId: string; reason: 'logged_out' | 'disconnected' }
  /** Agents connected to this node right now (the duty lease; see service/agentDuty.ts). */
  | { kind: 'alive'; nodeId: string; agentIds: readonly string[] };

/** CS → IM, node-local. The IM side (im/serviceBridge.ts) turns these into 'deliver' events. */
export type ServiceAgentEvent =
  | { kind: 'reply'; requestId: string; ok: true; result: AgentCommandResults[AgentCommandKind] }
  | { kind: 'reply'; requestId: string; ok: false; error: ErrorBody }
  /** The agent's duty as recorded (after duty.set, or when the CS system changed it). */
  | { kind: 'duty'; agentId: string; status: DutyStatus; reason?: string }
  /** A chat was assigned to, or changed for, these agents. */
  | { kind: 'chat'; agentIds: readonly string[]; chat: ChatSummary }
  /** These agents are no longer in the chat. */
  | { kind: 'chat.removed'; agentIds: readonly string[]; chatId: string; reason: string }
  | { kind: 'message'; agentIds: readonly string[]; message: ChatMessage }
  | { kind: 'typing'; agentIds: readonly string[]; chatId: string; state: 'start' | 'stop' };

/** A frame for every socket of one visitor, on whichever node it is connected (crosses nodes). */
export interface VisitorDeliverEvent {
  visitorId: string;
  frame: VisitorServerFrame;
}

/**
 * Every channel on the bus and the event it carries. The IM server and the customer-service
 * system add their channels here; nothing else crosses between them.
 */
export interface BusChannels {
  deliver: DeliverEvent;
  'sessions.ended': SessionsEndedEvent;
  /** Each node's presence view. Crosses nodes. */
  'presence.node': PresenceNodeEvent;
  /** IM → CS agent commands and agent lifecycle. Node-local. */
  'im.agent': ImAgentEvent;
  /** CS → IM answers and agent notifications. Node-local. */
  'service.agent': ServiceAgentEvent;
  /** CS → visitor sockets. Crosses nodes. */
  'visitor.deliver': VisitorDeliverEvent;
}

export type BusChannel = keyof BusChannels;

/** Channels a networked bus forwards between nodes; the others stay on the node that published them. */
export const CLUSTER_CHANNELS: readonly BusChannel[] = ['deliver', 'sessions.ended', 'visitor.deliver', 'presence.node'];

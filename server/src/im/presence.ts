import type { Presence, PresenceStatus } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';
import type { PresenceNodeEvent } from '../bus/events.js';

type ConnectionStatus = Exclude<PresenceStatus, 'offline'>;

const RANK: Record<PresenceStatus, number> = { offline: 0, away: 1, online: 2 };
/** How often a node repeats its full view to the others, and when a silent node is forgotten. */
const SNAPSHOT_EVERY_MS = 10_000;
const NODE_TIMEOUT_MS = 35_000;

interface RemoteNode {
  seenAt: number;
  statuses: Map<string, PresenceStatus>;
}

/**
 * Presence of users from their connections: online if any connection is online, away if all
 * are away, offline with none. Several tabs or devices per user are several connections, possibly
 * on several nodes: each node shares its own view on the bus and combines the others' into one.
 * Each node announces changes of that combined status to its own sockets.
 */
export class PresenceService {
  private readonly connections = new Map<string, Map<string, ConnectionStatus>>();
  private readonly lastSeen = new Map<string, number>();
  private readonly remote = new Map<string, RemoteNode>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly nodeId = 'local',
  ) {
    bus.subscribe('presence.node', (event) => this.onNodeEvent(event));
  }

  /** Starts sharing this node's view with the cluster (a no-op cost on one node). */
  startClusterSync(): void {
    this.bus.publish('presence.node', { kind: 'hello', nodeId: this.nodeId });
    this.timer = setInterval(() => {
      this.publishSnapshot();
      this.forgetSilentNodes(Date.now());
    }, SNAPSHOT_EVERY_MS);
    this.timer.unref();
  }

  stopClusterSync(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.bus.publish('presence.node', { kind: 'gone', nodeId: this.nodeId });
  }

  connect(userId: string, connectionId: string): void {
    this.changeLocal(userId, (conns) => conns.set(connectionId, 'online'));
  }

  disconnect(userId: string, connectionId: string): void {
    this.lastSeen.set(userId, Date.now());
    this.changeLocal(userId, (conns) => conns.delete(connectionId));
  }

  setStatus(userId: string, connectionId: string, status: ConnectionStatus): void {
    this.changeLocal(userId, (conns) => {
      if (conns.has(connectionId)) conns.set(connectionId, status);
    });
  }

  get(userId: string): Presence {
    const status = this.statusOf(userId);
    return { userId, status, lastSeenAt: status === 'offline' ? (this.lastSeen.get(userId) ?? null) : Date.now() };
  }

  snapshot(userIds: readonly string[]): Presence[] {
    return userIds.map((userId) => this.get(userId));
  }

  /** True when the user has a connection on this node. */
  isConnected(userId: string): boolean {
    return (this.connections.get(userId)?.size ?? 0) > 0;
  }

  /** The user's status over every node. */
  private statusOf(userId: string): PresenceStatus {
    let best = this.localStatusOf(userId);
    for (const node of this.remote.values()) {
      const status = node.statuses.get(userId);
      if (status && RANK[status] > RANK[best]) best = status;
    }
    return best;
  }

  private localStatusOf(userId: string): PresenceStatus {
    const conns = this.connections.get(userId);
    if (!conns || conns.size === 0) return 'offline';
    for (const status of conns.values()) if (status === 'online') return 'online';
    return 'away';
  }

  private changeLocal(userId: string, mutate: (conns: Map<string, ConnectionStatus>) => void): void {
    const localBefore = this.localStatusOf(userId);
    let conns = this.connections.get(userId);
    if (!conns) {
      conns = new Map();
      this.connections.set(userId, conns);
    }
    this.announceIfChanged([userId], () => {
      mutate(conns);
      if (conns.size === 0) this.connections.delete(userId);
    });
    const localAfter = this.localStatusOf(userId);
    if (localAfter !== localBefore) this.bus.publish('presence.node', { kind: 'change', nodeId: this.nodeId, userId, status: localAfter });
  }

  private onNodeEvent(event: PresenceNodeEvent): void {
    if (event.nodeId === this.nodeId) return;
    const now = Date.now();
    if (event.kind === 'hello') {
      this.publishSnapshot();
      return;
    }
    if (event.kind === 'gone') {
      this.dropNode(event.nodeId, now);
      return;
    }
    const node = this.remote.get(event.nodeId) ?? { seenAt: now, statuses: new Map<string, PresenceStatus>() };
    node.seenAt = now;
    this.remote.set(event.nodeId, node);
    if (event.kind === 'change') {
      this.announceIfChanged([event.userId], () => setStatus(node.statuses, event.userId, event.status, this.lastSeen, now));
      return;
    }
    const next = new Map(event.statuses);
    const affected = new Set([...node.statuses.keys(), ...next.keys()]);
    this.announceIfChanged([...affected], () => {
      node.statuses.clear();
      for (const [userId, status] of next) setStatus(node.statuses, userId, status, this.lastSeen, now);
      for (const userId of affected) if (!next.has(userId)) this.lastSeen.set(userId, now);
    });
  }

  private publishSnapshot(): void {
    const statuses: [string, PresenceStatus][] = [];
    for (const userId of this.connections.keys()) statuses.push([userId, this.localStatusOf(userId)]);
    this.bus.publish('presence.node', { kind: 'snapshot', nodeId: this.nodeId, statuses });
  }

  private forgetSilentNodes(now: number): void {
    for (const [nodeId, node] of this.remote) if (now - node.seenAt > NODE_TIMEOUT_MS) this.dropNode(nodeId, now);
  }

  private dropNode(nodeId: string, now: number): void {
    const node = this.remote.get(nodeId);
    if (!node) return;
    this.announceIfChanged([...node.statuses.keys()], () => {
      this.remote.delete(nodeId);
      for (const userId of node.statuses.keys()) this.lastSeen.set(userId, now);
    });
  }

  /** Runs `mutate`, then tells this node's watchers of every user whose combined status changed. */
  private announceIfChanged(userIds: readonly string[], mutate: () => void): void {
    const before = userIds.map((userId) => this.statusOf(userId));
    mutate();
    userIds.forEach((userId, index) => {
      if (this.statusOf(userId) === before[index]) return;
      this.bus.publish('deliver', { recipients: { watchersOf: userId }, frame: { type: 'presence', presence: this.get(userId) }, localOnly: true });
    });
  }
}

function setStatus(statuses: Map<string, PresenceStatus>, userId: string, status: PresenceStatus, lastSeen: Map<string, number>, now: number): void {
  if (status === 'offline') {
    statuses.delete(userId);
    lastSeen.set(userId, now);
  } else {
    statuses.set(userId, status);
  }
}

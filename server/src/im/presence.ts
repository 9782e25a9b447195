import type { Presence, PresenceStatus } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';

type ConnectionStatus = Exclude<PresenceStatus, 'offline'>;

/**
 * Presence of users from their connections: online if any connection is online, away if all
 * are away, offline with none. Several tabs or devices per user are several connections.
 * Every change of a user's combined status is announced to everyone.
 */
export class PresenceService {
  private readonly connections = new Map<string, Map<string, ConnectionStatus>>();
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly bus: Bus) {}

  connect(userId: string, connectionId: string): void {
    this.change(userId, (conns) => conns.set(connectionId, 'online'));
  }

  disconnect(userId: string, connectionId: string): void {
    this.lastSeen.set(userId, Date.now());
    this.change(userId, (conns) => conns.delete(connectionId));
  }

  setStatus(userId: string, connectionId: string, status: ConnectionStatus): void {
    this.change(userId, (conns) => {
      if (conns.has(connectionId)) conns.set(connectionId, status);
    });
  }

  get(userId: string): Presence {
    return { userId, status: this.statusOf(userId), lastSeenAt: this.statusOf(userId) === 'offline' ? (this.lastSeen.get(userId) ?? null) : Date.now() };
  }

  snapshot(userIds: readonly string[]): Presence[] {
    return userIds.map((userId) => this.get(userId));
  }

  isConnected(userId: string): boolean {
    return (this.connections.get(userId)?.size ?? 0) > 0;
  }

  private statusOf(userId: string): PresenceStatus {
    const conns = this.connections.get(userId);
    if (!conns || conns.size === 0) return 'offline';
    for (const status of conns.values()) if (status === 'online') return 'online';
    return 'away';
  }

  private change(userId: string, mutate: (conns: Map<string, ConnectionStatus>) => void): void {
    const before = this.statusOf(userId);
    let conns = this.connections.get(userId);
    if (!conns) {
      conns = new Map();
      this.connections.set(userId, conns);
    }
    mutate(conns);
    if (conns.size === 0) this.connections.delete(userId);
    const after = this.statusOf(userId);
    if (after !== before) {
      this.bus.publish('deliver', { recipients: { everyone: true }, frame: { type: 'presence', presence: this.get(userId) } });
    }
  }
}

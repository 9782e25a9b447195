import type { Connection } from './connection.js';

/** The live, authenticated (hello done) connections of this node, by user and by session. */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly all = new Set<Connection>();

  add(connection: Connection): void {
    this.all.add(connection);
    addTo(this.byUser, connection.userId, connection);
    addTo(this.bySession, connection.sessionId, connection);
  }

  remove(connection: Connection): void {
    this.all.delete(connection);
    removeFrom(this.byUser, connection.userId, connection);
    removeFrom(this.bySession, connection.sessionId, connection);
  }

  ofUser(userId: string): ReadonlySet<Connection> | undefined {
    return this.byUser.get(userId);
  }

  ofSession(sessionId: string): ReadonlySet<Connection> | undefined {
    return this.bySession.get(sessionId);
  }

  everyone(): ReadonlySet<Connection> {
    return this.all;
  }

  get size(): number {
    return this.all.size;
  }
}

function addTo(map: Map<string, Set<Connection>>, key: string, connection: Connection): void {
  const set = map.get(key);
  if (set) set.add(connection);
  else map.set(key, new Set([connection]));
}

function removeFrom(map: Map<string, Set<Connection>>, key: string, connection: Connection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(connection);
  if (set.size === 0) map.delete(key);
}

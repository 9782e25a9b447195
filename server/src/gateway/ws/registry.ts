import type { Connection } from './connection.js';
import { PresenceAudience } from './presenceAudience.js';
import { addToSet as addTo, removeFromSet as removeFrom } from './setMaps.js';

/** The live, authenticated (hello done) connections of this node, by user and by session. */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly all = new Set<Connection>();
  /** Who hears whose presence; forgets a connection when it is removed here. */
  readonly presenceAudience = new PresenceAudience(this);

  add(connection: Connection): void {
    this.all.add(connection);
    addTo(this.byUser, connection.userId, connection);
    addTo(this.bySession, connection.sessionId, connection);
  }

  remove(connection: Connection): void {
    this.all.delete(connection);
    removeFrom(this.byUser, connection.userId, connection);
    removeFrom(this.bySession, connection.sessionId, connection);
    this.presenceAudience.unsubscribe(connection);
    if (!this.byUser.has(connection.userId)) this.presenceAudience.dropContacts(connection.userId);
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

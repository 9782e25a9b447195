import type { Connection } from './connection.js';
import type { ConnectionRegistry } from './registry.js';
import { addToSet as addTo, removeFromSet as removeFrom } from './setMaps.js';

/**
 * Who on this node hears about whose presence. A user watches their contacts (the members of
 * their conversations, known from the welcome and kept up as conversation frames arrive) and
 * themselves; a connection may also subscribe to more users (the directory rows it shows).
 *
 * Broadcasting every change to every socket made a connect storm cost N² frames (5,000 users
 * reconnecting: 25 million); scoped like this it costs N × contacts.
 */
export class PresenceAudience {
  /** Contacts of users connected to this node. */
  private readonly contactsOf = new Map<string, Set<string>>();
  /** The reverse: user → users on this node who have them as a contact. */
  private readonly watchersOf = new Map<string, Set<string>>();
  private readonly subscriptionsOf = new Map<Connection, ReadonlySet<string>>();
  private readonly subscribersOf = new Map<string, Set<Connection>>();

  constructor(private readonly registry: ConnectionRegistry) {}

  /** The user's contacts, as their latest welcome listed them (replaces what was known). */
  setContacts(userId: string, contactIds: Iterable<string>): void {
    this.dropContacts(userId);
    this.addContacts(userId, contactIds);
  }

  /** More contacts (a conversation was created or gained members). Harmless when already known. */
  addContacts(userId: string, contactIds: Iterable<string>): void {
    let contacts = this.contactsOf.get(userId);
    if (!contacts) {
      contacts = new Set();
      this.contactsOf.set(userId, contacts);
    }
    for (const contactId of contactIds) {
      if (contacts.has(contactId)) continue;
      contacts.add(contactId);
      addTo(this.watchersOf, contactId, userId);
    }
  }

  /** The user's last connection on this node closed. */
  dropContacts(userId: string): void {
    const contacts = this.contactsOf.get(userId);
    if (!contacts) return;
    this.contactsOf.delete(userId);
    for (const contactId of contacts) removeFrom(this.watchersOf, contactId, userId);
  }

  /** Replaces the connection's subscription; an empty list ends it. */
  subscribe(connection: Connection, userIds: readonly string[]): void {
    this.unsubscribe(connection);
    if (userIds.length === 0) return;
    const subscribed = new Set(userIds);
    this.subscriptionsOf.set(connection, subscribed);
    for (const userId of subscribed) addTo(this.subscribersOf, userId, connection);
  }

  unsubscribe(connection: Connection): void {
    const subscribed = this.subscriptionsOf.get(connection);
    if (!subscribed) return;
    this.subscriptionsOf.delete(connection);
    for (const userId of subscribed) removeFrom(this.subscribersOf, userId, connection);
  }

  /** Calls `visit` once for every local connection that hears about `userId`'s presence. */
  forEachWatcher(userId: string, visit: (connection: Connection) => void): void {
    const subscribers = this.subscribersOf.get(userId);
    const watchers = this.watchersOf.get(userId);
    if (watchers) {
      for (const watcherId of watchers) {
        const connections = this.registry.ofUser(watcherId);
        if (!connections) continue;
        for (const connection of connections) if (!subscribers?.has(connection)) visit(connection);
      }
    }
    if (subscribers) for (const connection of subscribers) visit(connection);
  }
}

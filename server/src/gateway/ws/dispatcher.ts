import { CLOSE_CODES } from '@switchboard/protocol';
import type { Bus } from '../../bus/bus.js';
import type { DeliverEvent } from '../../bus/events.js';
import { PresenceHold } from './presenceHold.js';
import type { ConnectionRegistry } from './registry.js';

/**
 * Frames for everyone (account updates: rare, but a bulk import changes thousands) are collected
 * for a short window and then written to each socket together, not N² socket writes. The window
 * grows with the number of sockets (N/10 ms, 50 ms to 1 s), which keeps the writes for
 * broadcasts near 10,000 a second however many sockets there are. Per user the frames keep their
 * order; nothing else waits for them. Presence is not broadcast: it goes to watchers only, held
 * for a window of the same length (presenceHold.ts).
 */
export function broadcastWindowMs(sockets: number): number {
  return Math.min(1000, Math.max(50, Math.round(sockets / 10)));
}

/**
 * The one place that maps bus events to this node's sockets. Each frame is serialised once and
 * the same string goes to every recipient socket; a connection writes what it was given once per
 * event-loop turn (see Connection.sendRaw).
 */
export function startDispatcher(bus: Bus, registry: ConnectionRegistry): () => void {
  let broadcast: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const presence = new PresenceHold(() => broadcastWindowMs(registry.size));
  const flushBroadcast = () => {
    timer = undefined;
    const frames = broadcast;
    broadcast = [];
    for (const connection of registry.everyone()) for (const frame of frames) connection.sendRaw(frame);
  };

  const stopDeliver = bus.subscribe('deliver', (event: DeliverEvent) => {
    const data = JSON.stringify(event.frame);
    if ('everyone' in event.recipients) {
      broadcast.push(data);
      timer ??= setTimeout(flushBroadcast, broadcastWindowMs(registry.size));
      return;
    }
    if ('watchersOf' in event.recipients) {
      const userId = event.recipients.watchersOf;
      registry.presenceAudience.forEachWatcher(userId, (connection) => presence.hold(connection, userId, data));
      return;
    }
    const members = event.frame.type === 'conversation' ? event.frame.conversation.members.map((member) => member.userId) : null;
    for (const userId of event.recipients.userIds) {
      const connections = registry.ofUser(userId);
      if (!connections) continue;
      // A new conversation or new members: their presence matters to this user from now on.
      if (members) registry.presenceAudience.addContacts(userId, members);
      for (const connection of connections) connection.sendRaw(data);
    }
  });
  const stopSessions = bus.subscribe('sessions.ended', (event) => {
    const frame = JSON.stringify({ type: 'session.ended', reason: event.reason });
    for (const sessionId of event.sessionIds) {
      for (const connection of [...(registry.ofSession(sessionId) ?? [])]) {
        connection.sendRaw(frame);
        connection.close(CLOSE_CODES.sessionEnded, event.reason);
      }
    }
  });
  return () => {
    stopDeliver();
    stopSessions();
    if (timer) clearTimeout(timer);
    flushBroadcast();
    presence.release();
  };
}

import { CLOSE_CODES } from '@switchboard/protocol';
import type { Bus } from '../../bus/bus.js';
import type { DeliverEvent } from '../../bus/events.js';
import type { ConnectionRegistry } from './registry.js';

/**
 * The one place that maps bus events to this node's sockets. Each frame is serialised once and
 * the same string goes to every recipient socket.
 */
export function startDispatcher(bus: Bus, registry: ConnectionRegistry): () => void {
  const stopDeliver = bus.subscribe('deliver', (event) => deliver(registry, event));
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
  };
}

function deliver(registry: ConnectionRegistry, event: DeliverEvent): void {
  const data = JSON.stringify(event.frame);
  if ('everyone' in event.recipients) {
    for (const connection of registry.everyone()) connection.sendRaw(data);
    return;
  }
  for (const userId of event.recipients.userIds) {
    const connections = registry.ofUser(userId);
    if (connections) for (const connection of connections) connection.sendRaw(data);
  }
}

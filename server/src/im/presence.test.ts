import { describe, expect, it } from 'vitest';
import type { PresenceStatus } from '@switchboard/protocol';
import { createInProcessBus } from '../bus/inProcessBus.js';
import { PresenceService } from './presence.js';

function setup() {
  const bus = createInProcessBus((error) => {
    throw error;
  });
  const announced: PresenceStatus[] = [];
  bus.subscribe('deliver', (event) => {
    if (event.frame.type === 'presence') announced.push(event.frame.presence.status);
  });
  return { presence: new PresenceService(bus), announced };
}

describe('PresenceService', () => {
  it('is online while any tab is online, away when all are away, offline with none', () => {
    const { presence, announced } = setup();
    presence.connect('u1', 'tab1');
    presence.connect('u1', 'tab2');
    presence.setStatus('u1', 'tab1', 'away');
    expect(presence.get('u1').status).toBe('online');
    presence.setStatus('u1', 'tab2', 'away');
    expect(presence.get('u1').status).toBe('away');
    presence.disconnect('u1', 'tab1');
    presence.disconnect('u1', 'tab2');
    expect(presence.get('u1')).toMatchObject({ status: 'offline', lastSeenAt: expect.any(Number) });
    expect(announced).toEqual(['online', 'away', 'offline']);
  });

  it('announces only changes of the combined status', () => {
    const { presence, announced } = setup();
    presence.connect('u2', 'a');
    presence.connect('u2', 'b');
    presence.disconnect('u2', 'a');
    expect(announced).toEqual(['online']);
  });
});

describe('PresenceService across nodes', () => {
  /** Two nodes whose 'presence.node' events cross as a cluster bus would carry them. */
  function twoNodes() {
    const fail = (error: unknown) => {
      throw error;
    };
    const busA = createInProcessBus(fail);
    const busB = createInProcessBus(fail);
    const seenOnB: string[] = [];
    busB.subscribe('deliver', (event) => {
      if (event.frame.type === 'presence') seenOnB.push(`${event.frame.presence.userId}:${event.frame.presence.status}`);
    });
    const nodeA = new PresenceService(busA, 'A');
    const nodeB = new PresenceService(busB, 'B');
    busA.subscribe('presence.node', (event) => {
      if (event.nodeId === 'A') busB.publish('presence.node', event);
    });
    busB.subscribe('presence.node', (event) => {
      if (event.nodeId === 'B') busA.publish('presence.node', event);
    });
    return { nodeA, nodeB, seenOnB };
  }

  it('a user connected on another node is online here, and offline when that node forgets them', () => {
    const { nodeA, nodeB, seenOnB } = twoNodes();
    nodeA.connect('u', 'c1');
    expect(nodeB.get('u').status).toBe('online');
    nodeB.connect('u', 'c2');
    nodeA.disconnect('u', 'c1');
    expect(nodeB.get('u').status).toBe('online');
    nodeB.disconnect('u', 'c2');
    expect(nodeB.get('u').status).toBe('offline');
    expect(seenOnB).toEqual(['u:online', 'u:offline']);
  });

  it('a node that goes away takes its users offline elsewhere', () => {
    const { nodeA, nodeB, seenOnB } = twoNodes();
    nodeA.connect('v', 'c1');
    nodeA.stopClusterSync();
    expect(nodeB.get('v').status).toBe('offline');
    expect(seenOnB).toEqual(['v:online', 'v:offline']);
  });
});

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

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthContext } from '../../im/auth.js';
import { Connection, type ConnectionHooks } from './connection.js';
import { PresenceHold } from './presenceHold.js';
import type { SocketLike } from './socket.js';

const hooks: ConnectionHooks = { handle: async () => undefined, onFault: () => undefined };
const auth = { user: { id: 'watcher' }, sessionId: 's' } as unknown as AuthContext;
const presence = (userId: string, status: string) => JSON.stringify({ type: 'presence', presence: { userId, status } });

/** A connection on a fake socket; `written()` is what reached the socket since the last call, after a flush. */
function connect() {
  const sent: string[] = [];
  const socket: SocketLike = { send: (data) => sent.push(data), close: () => undefined, bufferedAmount: 0 };
  const connection = new Connection('1', socket, auth, hooks);
  return {
    connection,
    written(): string[] {
      connection.flush();
      return sent.splice(0);
    },
  };
}

describe('PresenceHold', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a held presence frame ahead of the next frame, in the same write', () => {
    const hold = new PresenceHold(() => 1000);
    const { connection, written } = connect();
    hold.hold(connection, 'bob', presence('bob', 'online'));
    expect(written()).toEqual([]);
    connection.sendRaw('{"type":"message"}');
    expect(written()).toEqual([presence('bob', 'online'), '{"type":"message"}']);
    hold.release();
    expect(written()).toEqual([]);
  });

  it("keeps only a user's latest change while it waits, and every user's", () => {
    const hold = new PresenceHold(() => 1000);
    const { connection, written } = connect();
    hold.hold(connection, 'bob', presence('bob', 'online'));
    hold.hold(connection, 'carol', presence('carol', 'online'));
    hold.hold(connection, 'bob', presence('bob', 'offline'));
    hold.release();
    expect(written()).toEqual([presence('bob', 'offline'), presence('carol', 'online')]);
  });

  it('never reorders a change behind a frame queued after it (a snapshot stays older than the change after it)', () => {
    const hold = new PresenceHold(() => 1000);
    const { connection, written } = connect();
    hold.hold(connection, 'bob', presence('bob', 'away'));
    connection.sendRaw('{"type":"presence.snapshot","presence":[{"userId":"bob","status":"away"}]}');
    hold.hold(connection, 'bob', presence('bob', 'online'));
    hold.release();
    expect(written()).toEqual([presence('bob', 'away'), '{"type":"presence.snapshot","presence":[{"userId":"bob","status":"away"}]}', presence('bob', 'online')]);
  });

  it('sends what it holds when the window ends, one window for every connection', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hold = new PresenceHold(() => 200);
    const first = connect();
    const second = connect();
    hold.hold(first.connection, 'bob', presence('bob', 'online'));
    vi.advanceTimersByTime(150);
    hold.hold(second.connection, 'carol', presence('carol', 'online'));
    expect(first.written()).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(first.written()).toEqual([presence('bob', 'online')]);
    expect(second.written()).toEqual([presence('carol', 'online')]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops what a closed connection held', () => {
    const hold = new PresenceHold(() => 1000);
    const { connection, written } = connect();
    hold.hold(connection, 'bob', presence('bob', 'online'));
    connection.markClosed();
    hold.release();
    expect(written()).toEqual([]);
  });
});

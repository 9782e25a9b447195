import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.js';

interface Events {
  tick: number;
  tock: string;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Emitter', () => {
  it('calls the handlers of a type in order, and stops after unsubscribe', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    const off = emitter.on('tick', (n) => seen.push(`a${n}`));
    emitter.on('tick', (n) => seen.push(`b${n}`));
    emitter.on('tock', (s) => seen.push(s));
    emitter.emit('tick', 1);
    off();
    off();
    emitter.emit('tick', 2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('lets a handler unsubscribe itself while the event is being emitted', () => {
    const emitter = new Emitter<Events>();
    const seen: number[] = [];
    const off = emitter.on('tick', (n) => {
      seen.push(n);
      off();
    });
    emitter.on('tick', (n) => seen.push(n * 10));
    emitter.emit('tick', 1);
    emitter.emit('tick', 2);
    expect(seen).toEqual([1, 10, 20]);
  });

  it('keeps calling the other handlers when one throws, and rethrows asynchronously', async () => {
    const emitter = new Emitter<Events>();
    const rethrown: unknown[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
      try {
        callback();
      } catch (error) {
        rethrown.push(error);
      }
    });
    const after = vi.fn();
    emitter.on('tick', () => {
      throw new Error('listener bug');
    });
    emitter.on('tick', after);
    emitter.emit('tick', 1);
    expect(after).toHaveBeenCalledWith(1);
    expect(rethrown).toEqual([new Error('listener bug')]);
  });
});

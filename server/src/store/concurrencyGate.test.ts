import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrencyGate.js';

describe('ConcurrencyGate', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const gate = new ConcurrencyGate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((id) =>
      gate.run(async () => {
        running += 1;
        most = Math.max(most, running);
        order.push(id);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return id;
      }),
    );
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(gate.queued).toBe(3);
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(gate.queued).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const gate = new ConcurrencyGate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('is idle once every task, queued ones too, has settled', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.idle();
    const releases: (() => void)[] = [];
    const blocked = () => gate.run(() => new Promise<void>((resolve) => releases.push(resolve)));
    const tasks = [blocked(), blocked()];
    let idle = false;
    const waiting = gate.idle().then(() => (idle = true));
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    releases.shift()?.();
    await Promise.all([...tasks, waiting]);
    expect(idle).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { createAppendThread } from './appendThread.js';
import type { AppendRequest } from './repositories/messageBatch.js';

/**
 * A stand-in for appendWorker.js that speaks its protocol: a batch whose first body is "die"
 * ends the thread without a reply, "busy" fails as SQLite would, "checkpointing?" fails with a
 * message telling whether it was started checkpointing and whether it was told to since; any
 * other batch is answered with no outcomes.
 */
const STAND_IN = new URL(
  `data:text/javascript,${encodeURIComponent(`
    import { parentPort, workerData } from 'node:worker_threads';
    let told = false;
    parentPort.on('message', (job) => {
      if (job === 'close') return parentPort.close();
      if (job === 'autocheckpoint') return (told = true);
      if (job.requests[0]?.body === 'die') process.exit(7);
      if (job.requests[0]?.body === 'checkpointing?') return parentPort.postMessage({ id: job.id, error: { message: 'started ' + workerData.autoCheckpoint + ', told ' + told } });
      if (job.requests[0]?.body === 'busy') return parentPort.postMessage({ id: job.id, error: { message: 'database is locked', code: 'SQLITE_BUSY' } });
      parentPort.postMessage({ id: job.id, outcomes: [] });
    });
  `)}`,
);

const send = (body: string): AppendRequest => ({ conversationId: 'c', senderId: 'u', clientId: body, kind: 'text', body });

describe('the group commit thread', () => {
  it('fails the batches of a thread that dies, and the next batch starts a new thread', async () => {
    const thread = createAppendThread({ file: 'unused', cacheKib: 1 }, STAND_IN);
    try {
      await expect(thread.append([send('hello')], 1)).resolves.toEqual([]);
      await expect(thread.append([send('die')], 2)).rejects.toThrow(/stopped \(exit code 7\)/);
      await expect(thread.append([send('again')], 3)).resolves.toEqual([]);
    } finally {
      await thread.stop();
    }
  });

  it('hands on a failed transaction with its code, which decides whether senders may resend', async () => {
    const thread = createAppendThread({ file: 'unused', cacheKib: 1 }, STAND_IN);
    try {
      await expect(thread.append([send('busy')], 1)).rejects.toMatchObject({ message: 'database is locked', code: 'SQLITE_BUSY' });
    } finally {
      await thread.stop();
    }
  });

  it('has the thread checkpoint once the checkpoint worker failed, and a thread started later too', async () => {
    const thread = createAppendThread({ file: 'unused', cacheKib: 1 }, STAND_IN);
    try {
      await expect(thread.append([send('checkpointing?')], 1)).rejects.toThrow('started false, told false');
      thread.enableAutoCheckpoint();
      await expect(thread.append([send('checkpointing?')], 2)).rejects.toThrow('started false, told true');
      await expect(thread.append([send('die')], 3)).rejects.toThrow(/stopped/);
      await expect(thread.append([send('checkpointing?')], 4)).rejects.toThrow('started true, told false');
    } finally {
      await thread.stop();
    }
  });

  it('stops without ever starting a thread when nothing was stored', async () => {
    const thread = createAppendThread({ file: 'unused', cacheKib: 1 }, STAND_IN);
    await expect(thread.stop()).resolves.toBeUndefined();
  });
});

import type { Message } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import type { Bus } from '../bus/bus.js';
import type { ImRepositories } from '../store/index.js';
import type { AppendOutcome, AppendRequest } from '../store/repositories/messages.js';
import { MessageSender } from './messageSender.js';

/** A message store whose batches commit when the test says so, numbering seqs per conversation. */
function controlledStore(batchesInFlight: number) {
  const lastSeq = new Map<string, number>();
  const stored = new Map<string, Message>();
  const running: { requests: readonly AppendRequest[]; commit: () => void; fail: () => void; loseAnswer: () => void }[] = [];
  const appendBatch = (requests: readonly AppendRequest[], now: number) =>
    new Promise<AppendOutcome[]>((resolve, reject) => {
      const write = () =>
        requests.map((request, index): AppendOutcome => {
          const seq = (lastSeq.get(request.conversationId) ?? 0) + 1;
          lastSeq.set(request.conversationId, seq);
          const message = { id: `${request.clientId}-${index}`, seq, createdAt: now, editedAt: null, deletedAt: null, ...request };
          stored.set(request.clientId, message);
          return { status: 'stored', message, recipients: ['reader'] };
        });
      const fail = () => reject(new Error('connection lost'));
      running.push({ requests, commit: () => resolve(write()), fail, loseAnswer: () => (write(), fail()) });
    });
  const findByClientIds = async (requests: readonly { clientId: string }[]) => requests.flatMap((request) => stored.get(request.clientId) ?? []);
  const repos = { messages: { batchesInFlight, appendBatch, findByClientIds }, conversations: { memberIds: async () => ['reader'] } } as unknown as ImRepositories;
  const delivered: { conversationId: string; seq: number; body: string }[] = [];
  const bus = { publish: (_topic: string, event: { frame: { message: { conversationId: string; seq: number; body: string } } }) => delivered.push(event.frame.message) } as unknown as Bus;
  return { repos, bus, running, delivered };
}

const send = (conversationId: string, body: string): AppendRequest => ({ conversationId, senderId: 'ann', clientId: body, kind: 'text', body });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('MessageSender batches in flight', () => {
  it('runs a second batch beside the first, leaving out the first batch’s conversations', async () => {
    const store = controlledStore(2);
    const sender = new MessageSender(store.repos, store.bus, (error) => { throw error; });
    const first = [sender.send(send('a', 'a1')), sender.send(send('b', 'b1'))];
    await turn();
    const second = [sender.send(send('a', 'a2')), sender.send(send('c', 'c1')), sender.send(send('a', 'a3'))];
    await turn();
    expect(store.running.map((batch) => batch.requests.map((request) => request.body))).toEqual([['a1', 'b1'], ['c1']]);

    store.running[1]?.commit(); // the later batch commits first: its conversation is its own
    await expect(second[1]).resolves.toMatchObject({ message: { conversationId: 'c', seq: 1 } });
    expect(store.running).toHaveLength(2); // a2 and a3 still wait for the batch writing `a`

    store.running[0]?.commit();
    await Promise.all(first);
    await turn();
    expect(store.running[2]?.requests.map((request) => request.body)).toEqual(['a2', 'a3']);
    store.running[2]?.commit();
    expect((await Promise.all(second)).map((result) => result.message.seq)).toEqual([2, 1, 3]);
    expect(store.delivered.filter((message) => message.conversationId === 'a').map((message) => [message.body, message.seq])).toEqual([['a1', 1], ['a2', 2], ['a3', 3]]);
  });

  it('runs one batch at a time when the store allows one, and drains only when all are settled', async () => {
    const store = controlledStore(1);
    const sender = new MessageSender(store.repos, store.bus, () => {});
    const sends = [sender.send(send('a', 'a1'))];
    await turn();
    sends.push(sender.send(send('b', 'b1')));
    await turn();
    expect(store.running).toHaveLength(1);
    let drained = false;
    const draining = sender.drain().then(() => (drained = true));
    store.running[0]?.fail();
    await expect(sends[0]).rejects.toMatchObject({ code: 'unavailable' });
    await turn();
    expect(drained).toBe(false);
    expect(store.running[1]?.requests.map((request) => request.body)).toEqual(['b1']);
    store.running[1]?.commit();
    await draining;
    expect(drained).toBe(true);
    expect(sender.stats()).toMatchObject({ stored: 1, failed: 1, batches: 1, queued: 0 });
  });

  it('after a commit whose answer was lost, delivers what it stored before anything newer of that conversation', async () => {
    const store = controlledStore(2);
    const sender = new MessageSender(store.repos, store.bus, () => {});
    const lost = sender.send(send('x', 'x1'));
    await turn();
    const beside = sender.send(send('y', 'y1'));
    await turn();
    store.running[0]?.loseAnswer(); // x1 is stored, its sender hears "unavailable"
    await expect(lost).rejects.toMatchObject({ code: 'unavailable' });
    const newer = sender.send(send('x', 'x2'));
    await turn();
    expect(store.running).toHaveLength(2); // x2 waits: one batch at a time until x1 is accounted for

    store.running[1]?.commit();
    await beside;
    await turn();
    store.running[2]?.commit();
    await newer;
    expect(store.delivered.map((message) => message.body)).toEqual(['x1', 'y1', 'x2']);
  });
});

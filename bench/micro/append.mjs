// Microbenchmark of the group commit's storage step: MessageRepository.appendBatch on a seeded
// store, batches of random DM/group sends as the IM scenario makes them, no network.
//   node bench/micro/append.mjs [--store sqlite|postgres] [--batch 1,10,50,200,500] [--users 1000]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { seed } from '../lib/seed.mjs';
import { cleanup, createStore } from '../lib/harness.mjs';
import { nowMs, round } from '../lib/stats.mjs';
import { openStore, createImRepositories } from '../../server/dist/store/index.js';

const { values } = parseArgs({ options: { store: { type: 'string', default: 'sqlite' }, batch: { type: 'string', default: '1,10,50,200,500' }, users: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '2' } } });
try {
  const store = await createStore(values.store, 'micro');
  const fixture = await seed(store.options, { groups: [{ name: 'm', count: Number(values.users), dmOffsets: [1, 3], groupSize: 8, groupsPerUser: 1 }] });
  const opened = await openStore(store.options);
  const repos = createImRepositories(opened);
  const requestFor = () => {
    const conversation = fixture.conversations[Math.floor(Math.random() * fixture.conversations.length)];
    const sender = fixture.users[conversation.members[Math.floor(Math.random() * conversation.members.length)]];
    return { conversationId: conversation.id, senderId: sender.id, clientId: randomBytes(12).toString('base64url'), kind: 'text', body: `${nowMs().toFixed(3)} the quick brown fox jumps over the lazy dog, then files the quarterly report` };
  };
  for (const size of values.batch.split(',').map(Number)) {
    let messages = 0;
    let batches = 0;
    const until = nowMs() + Number(values.seconds) * 1000;
    const cpu = process.cpuUsage();
    const t0 = nowMs();
    while (nowMs() < until) {
      const outcomes = await repos.messages.appendBatch(Array.from({ length: size }, requestFor), Date.now());
      if (outcomes.some((outcome) => outcome.status !== 'stored')) throw new Error('not stored');
      messages += size;
      batches += 1;
    }
    const wall = nowMs() - t0;
    const used = process.cpuUsage(cpu);
    console.log(`${values.store} batch ${String(size).padStart(3)}: ${round(messages / (wall / 1000), 0)} msg/s, ${round((wall * 1000) / messages, 1)} µs/msg wall, ${round((used.user + used.system) / messages, 1)} µs/msg CPU, ${round(wall / batches, 2)} ms/batch`);
  }
  await opened.close();
} finally {
  await cleanup();
}

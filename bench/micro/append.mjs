// Microbenchmark of the group commit's storage step: MessageRepository.appendBatch on a seeded
// store, batches of random DM/group sends as the IM scenario makes them, no network. Each build
// gets its own store, seeded alike (a shared file would let one build's checkpoints and growth
// land on another's figures). Reported per stored message: wall time, CPU, and event-loop busy
// time (what the server's one thread cannot spend on anything else; lower than wall when the
// store waits off the loop).
//   node bench/micro/append.mjs [--store sqlite|postgres] [--batch 1,10,50,200,500] [--users 1000]
//   --dists a,b,...  compiled server trees to compare (default server/dist); their runs are
//                    interleaved round by round and the median of --rounds is reported, which
//                    is what makes an A/B comparison usable on a busy machine.
//   --client-ids random,ordered  the senders' client ids: random (as before 2026-12-08) or
//                    time-ordered (newClientId of @switchboard/protocol); each is a variant.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { seed } from '../lib/seed.mjs';
import { cleanup, createStore } from '../lib/harness.mjs';
import { nowMs, round } from '../lib/stats.mjs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { newClientId } from '@switchboard/protocol';

const CLIENT_IDS = { random: () => randomBytes(12).toString('base64url'), ordered: newClientId };

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    batch: { type: 'string', default: '1,10,50,200,500' },
    users: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '2' },
    dists: { type: 'string', default: new URL('../../server/dist', import.meta.url).pathname },
    rounds: { type: 'string', default: '1' },
    'client-ids': { type: 'string', default: 'ordered' },
  },
});
try {
  const variants = [];
  const builds = values.dists.split(',').flatMap((dist) => values['client-ids'].split(',').map((clientIds) => ({ dist, clientIds })));
  for (const [index, { dist, clientIds }] of builds.entries()) {
    if (!CLIENT_IDS[clientIds]) throw new Error(`--client-ids: ${clientIds} is not one of ${Object.keys(CLIENT_IDS).join(', ')}`);
    const store = await createStore(values.store, `micro${index}`);
    const fixture = await seed(store.options, { groups: [{ name: 'm', count: Number(values.users), dmOffsets: [1, 3], groupSize: 8, groupsPerUser: 1 }] }, pathToFileURL(`${dist.replace(/\/$/, '')}/`).href);
    const { openStore, createImRepositories } = await import(pathToFileURL(`${dist}/store/index.js`).href);
    const opened = await openStore(store.options);
    variants.push({ dist, label: `${dist.split('/').slice(-2).join('/')} ${clientIds}`, newClientId: CLIENT_IDS[clientIds], opened, fixture, repos: createImRepositories(opened), runs: new Map() });
  }
  const requestFor = ({ fixture, newClientId }) => {
    const conversation = fixture.conversations[Math.floor(Math.random() * fixture.conversations.length)];
    const sender = fixture.users[conversation.members[Math.floor(Math.random() * conversation.members.length)]];
    return { conversationId: conversation.id, senderId: sender.id, clientId: newClientId(), kind: 'text', body: `${nowMs().toFixed(3)} the quick brown fox jumps over the lazy dog, then files the quarterly report` };
  };
  const sizes = values.batch.split(',').map(Number);
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const size of sizes) {
      for (const variant of variants) {
        let messages = 0;
        let batches = 0;
        const until = nowMs() + Number(values.seconds) * 1000;
        const cpu = process.cpuUsage();
        const loop = performance.eventLoopUtilization();
        const t0 = nowMs();
        while (nowMs() < until) {
          const outcomes = await variant.repos.messages.appendBatch(Array.from({ length: size }, () => requestFor(variant)), Date.now());
          if (outcomes.some((outcome) => outcome.status !== 'stored')) throw new Error('not stored');
          messages += size;
          batches += 1;
        }
        const wall = nowMs() - t0;
        const used = process.cpuUsage(cpu);
        const busy = performance.eventLoopUtilization(loop);
        if (!variant.runs.has(size)) variant.runs.set(size, []);
        variant.runs.get(size).push({ perS: messages / (wall / 1000), cpuUs: (used.user + used.system) / messages, loopUs: (busy.active * 1000) / messages, batchMs: wall / batches });
      }
    }
  }
  const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
  for (const size of sizes) {
    for (const variant of variants) {
      const runs = variant.runs.get(size);
      console.log(
        `${values.store} ${variant.label.padEnd(24)} batch ${String(size).padStart(3)}: ${round(mid(runs.map((r) => r.perS)), 0)} msg/s, ${round(mid(runs.map((r) => r.cpuUs)), 1)} µs/msg CPU, ${round(mid(runs.map((r) => r.loopUs)), 1)} µs/msg loop busy, ${round(mid(runs.map((r) => r.batchMs)), 2)} ms/batch (median of ${runs.length})`,
      );
    }
  }
  for (const variant of variants) await variant.opened.close();
} finally {
  await cleanup();
}

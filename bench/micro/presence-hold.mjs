// What holding presence frames costs in JS (gateway/ws/presenceHold.ts), no sockets: 65,000
// presence frames for 10,000 connections, held and released ten times over, against the same
// frames queued directly. CPU of each, median of --rounds, alternating.
//   node bench/micro/presence-hold.mjs [--dist server/dist] [--rounds 5]
import { setImmediate } from 'node:timers';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({ options: { dist: { type: 'string', default: new URL('../../server/dist', import.meta.url).pathname }, rounds: { type: 'string', default: '5' } } });
const base = pathToFileURL(`${values.dist.replace(/\/$/, '')}/`).href;
const { Connection } = await import(new URL('gateway/ws/connection.js', base).href);
const { PresenceHold } = await import(new URL('gateway/ws/presenceHold.js', base).href);

const CONNECTIONS = 10_000;
const FRAMES = 65_000;
const hooks = { handle: async () => {}, onFault: () => {} };
const socket = { send: () => {}, close: () => {}, bufferedAmount: 0 };
const userIds = Array.from({ length: CONNECTIONS }, (_, i) => `user-${i}`);
const frame = JSON.stringify({ type: 'presence', presence: { userId: 'user-0', status: 'online', lastSeenAt: 1 } });

async function once(mode) {
  const connections = userIds.map((id, i) => new Connection(String(i), socket, { user: { id }, sessionId: 's' }, hooks));
  const hold = new PresenceHold(() => 1e9);
  const cpu = process.cpuUsage();
  for (let i = 0; i < FRAMES; i += 1) {
    const connection = connections[(i * 7919) % CONNECTIONS];
    if (mode === 'direct') connection.sendRaw(frame);
    else hold.hold(connection, userIds[i % CONNECTIONS], frame);
    if (i % (FRAMES / 10) === 0) {
      hold.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  hold.release();
  await new Promise((resolve) => setImmediate(resolve));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
}

const runs = { direct: [], held: [] };
for (let r = 0; r < Number(values.rounds); r += 1) for (const mode of ['direct', 'held']) runs[mode].push(await once(mode));
const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
for (const [mode, list] of Object.entries(runs)) console.log(`${mode.padEnd(6)} ${FRAMES} presence frames, ${CONNECTIONS} connections: ${mid(list).toFixed(0)} ms CPU (median of ${list.length})`);

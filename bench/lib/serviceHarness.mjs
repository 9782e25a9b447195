// The customer-service load generators (lib/serviceGenerator.mjs), forked like the IM ones in
// lib/harness.mjs: each in its own process, commands over IPC, stopped at the end or when the
// harness goes away (a generator exits when its IPC channel closes).

import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Source addresses per generator: visitors come from many addresses, like real pages. */
const SOURCE_BLOCKS = 8;

/** Generator g connects from 127.0.<100 + 8g + k>.1-250 (k < 8): its own 2,000 loopback addresses. */
export function serviceSources(g) {
  const list = [];
  for (let k = 0; k < SOURCE_BLOCKS; k += 1) for (let i = 1; i <= 250; i += 1) list.push(`127.0.${100 + SOURCE_BLOCKS * g + k}.${i}`);
  return list;
}

/** Forks `count` generators; agent user indexes are dealt out round-robin. */
export async function startServiceGenerators(count, { fixtureFile, servers, agents }) {
  const generators = Array.from({ length: count }, (_, g) => forkGenerator(g));
  let slotOffset = 0;
  await Promise.all(
    generators.map((generator) => {
      const mine = agents.filter((_, i) => i % count === generator.index);
      const args = { fixtureFile, servers, agents: mine, slotOffset, genId: generator.index, sources: serviceSources(generator.index) };
      slotOffset += mine.length;
      return generator.call('init', args);
    }),
  );
  return {
    list: generators,
    /** The same command on every generator (args may depend on the generator); answers in order. */
    all: (cmd, args = {}, timeoutMs) => Promise.all(generators.map((generator) => generator.call(cmd, typeof args === 'function' ? args(generator) : args, timeoutMs))),
    async stop() {
      await Promise.allSettled(generators.map((generator) => generator.call('close', {}, 10_000)));
      for (const generator of generators) generator.child.disconnect?.();
      await Promise.all(generators.map((generator) => generator.exited));
    },
  };
}

function forkGenerator(index) {
  const child = fork(path.join(here, 'serviceGenerator.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (message) => {
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error) entry.reject(new Error(`service generator ${index}: ${message.error}`));
    else entry.resolve(message.result);
  });
  child.once('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`service generator ${index} exited with ${code}`));
    waiting.clear();
  });
  const call = (cmd, args = {}, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`service generator ${index}: ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.send({ id, cmd, args });
    });
  return { index, pid: child.pid, child, call, exited };
}

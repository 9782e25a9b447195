// The customer-service load generators (lib/serviceGenerator.mjs), forked like the IM ones
// (harness.forkGenerator): each in its own process, commands over IPC, stopped at the end or when
// the harness goes away (a generator exits when its IPC channel closes).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkGenerator, generatorGroup } from './harness.mjs';

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
  const generators = Array.from({ length: count }, (_, g) => forkGenerator(path.join(here, 'serviceGenerator.mjs'), g, 'service generator'));
  let slotOffset = 0;
  await Promise.all(
    generators.map((generator) => {
      const mine = agents.filter((_, i) => i % count === generator.index);
      const args = { fixtureFile, servers, agents: mine, slotOffset, genId: generator.index, sources: serviceSources(generator.index) };
      slotOffset += mine.length;
      return generator.call('init', args);
    }),
  );
  return generatorGroup(generators);
}

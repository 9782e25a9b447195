import type { Bus } from './bus.js';
import type { NetworkBusOptions } from './clusterRelay.js';
import { createNatsBus } from './natsBus.js';
import { createRedisBus } from './redisBus.js';

const BUS_BY_SCHEME: Record<string, (options: NetworkBusOptions) => Promise<Bus>> = {
  'redis:': createRedisBus,
  'rediss:': createRedisBus,
  'nats:': createNatsBus,
};

/** The cluster bus that SWITCHBOARD_BUS names, chosen by its scheme (config/env.ts accepts only these). */
export async function createNetworkBus(options: NetworkBusOptions): Promise<Bus> {
  const { protocol } = new URL(options.url);
  const create = BUS_BY_SCHEME[protocol];
  if (!create) throw new Error(`no bus speaks ${protocol}//`);
  return create(options);
}

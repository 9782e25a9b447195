import type { Bus } from './bus.js';
import { LocalHandlers } from './bus.js';
import type { BusChannel } from './events.js';

/** The single-node bus: publish calls the subscribers synchronously, in order. */
export function createInProcessBus(onHandlerError: (error: unknown, channel: BusChannel) => void): Bus {
  const handlers = new LocalHandlers(onHandlerError);
  return {
    publish: (channel, event) => handlers.dispatch(channel, event),
    subscribe: (channel, handler) => handlers.add(channel, handler),
    health: () => 'ok',
    close: async () => {},
  };
}

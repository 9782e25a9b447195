import type { BusChannel, BusChannels } from './events.js';

export type BusHandler<C extends BusChannel> = (event: BusChannels[C]) => void;

/**
 * Events between the parts of one node and between nodes. Delivery is at-most-once and
 * best-effort: correctness never rests on it (clients converge from the database on reconnect).
 */
export interface Bus {
  publish<C extends BusChannel>(channel: C, event: BusChannels[C]): void;
  subscribe<C extends BusChannel>(channel: C, handler: BusHandler<C>): () => void;
  /** 'down' while a networked bus is disconnected. */
  health(): 'ok' | 'down';
  close(): Promise<void>;
}

/** Calls handlers of one node; a handler that throws is reported and does not stop the others. */
export class LocalHandlers {
  private readonly handlers = new Map<BusChannel, Set<(event: never) => void>>();

  constructor(private readonly onHandlerError: (error: unknown, channel: BusChannel) => void) {}

  add<C extends BusChannel>(channel: C, handler: BusHandler<C>): () => void {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler as (event: never) => void);
    return () => set.delete(handler as (event: never) => void);
  }

  dispatch<C extends BusChannel>(channel: C, event: BusChannels[C]): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    for (const handler of set) {
      try {
        (handler as BusHandler<C>)(event);
      } catch (error) {
        this.onHandlerError(error, channel);
      }
    }
  }
}

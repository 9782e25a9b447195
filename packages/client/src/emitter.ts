/** A listener; its return value is ignored. */
export type Handler<T> = (event: T) => void;

/** Calls `unsubscribe()` to stop listening; calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * A tiny typed event emitter. A throwing listener does not stop the others nor corrupt the
 * caller's state: its error is rethrown in a microtask, so it still surfaces as an uncaught error.
 */
export class Emitter<Events extends object> {
  readonly #handlers = new Map<keyof Events, Set<Handler<never>>>();

  on<K extends keyof Events>(type: K, handler: Handler<Events[K]>): Unsubscribe {
    let set = this.#handlers.get(type);
    if (!set) {
      set = new Set();
      this.#handlers.set(type, set);
    }
    // Wrap so the same function may be registered twice and unsubscribed independently.
    const entry: Handler<Events[K]> = (event) => handler(event);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.#handlers.get(type);
    if (!set || set.size === 0) return;
    // Snapshot: a listener may unsubscribe (itself or others) while we iterate.
    for (const entry of [...set]) {
      try {
        (entry as Handler<Events[K]>)(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  listenerCount(type: keyof Events): number {
    return this.#handlers.get(type)?.size ?? 0;
  }
}

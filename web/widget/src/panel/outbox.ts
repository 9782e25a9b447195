import { newClientId } from './ids.js';

export interface OutboxEntry {
  clientId: string;
  body: string;
  createdAt: number;
  /** pending: not acknowledged yet (sent or waiting for a connection); failed: the server refused it. */
  state: 'pending' | 'failed';
  /** Connection generation it was last sent on; a new connection sends it again. */
  sentOn?: number;
}

/**
 * The visitor's unacknowledged messages. Each keeps its client id forever, so a resend after a
 * reconnect is idempotent: the server stores a client id once and acks the same message again.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();

  constructor(
    private readonly makeId: () => string = newClientId,
    private readonly now: () => number = Date.now,
  ) {}

  add(body: string, clientId: string = this.makeId()): OutboxEntry {
    const entry: OutboxEntry = { clientId, body, createdAt: this.now(), state: 'pending' };
    this.entries.set(clientId, entry);
    return entry;
  }

  get(clientId: string): OutboxEntry | undefined {
    return this.entries.get(clientId);
  }

  has(clientId: string): boolean {
    return this.entries.has(clientId);
  }

  /** The server committed the message: it leaves the outbox. Returns the entry, if it was ours. */
  ack(clientId: string): OutboxEntry | undefined {
    const entry = this.entries.get(clientId);
    this.entries.delete(clientId);
    return entry;
  }

  /** The server refused the message for good (too long, chat closed…): keep it, shown as not delivered. */
  fail(clientId: string): void {
    const entry = this.entries.get(clientId);
    if (entry) entry.state = 'failed';
  }

  /** Marks every pending entry failed (the chat closed before they could be delivered). */
  failAll(): void {
    for (const entry of this.entries.values()) entry.state = 'failed';
  }

  /** Drops everything (a new chat starts). */
  clear(): void {
    this.entries.clear();
  }

  /**
   * After a (re)connect: the server's copy of the chat decides. Entries whose client id is among
   * the server's messages were delivered (the ack was lost with the old socket); the remaining
   * pending ones must be sent again, with the same client id, in the order they were written.
   */
  reconcile(serverMessages: readonly { clientId: string | null }[]): { delivered: string[]; resend: OutboxEntry[] } {
    const known = new Set<string>();
    for (const message of serverMessages) if (message.clientId) known.add(message.clientId);
    const delivered: string[] = [];
    for (const clientId of [...this.entries.keys()]) {
      if (known.has(clientId)) {
        this.entries.delete(clientId);
        delivered.push(clientId);
      }
    }
    return { delivered, resend: this.list().filter((entry) => entry.state === 'pending') };
  }

  list(): OutboxEntry[] {
    return [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  get size(): number {
    return this.entries.size;
  }
}

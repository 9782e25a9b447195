import type { VisitorConnection } from './connection.js';

/** This node's visitor sockets that completed v.hello, by visitor. */
export class VisitorRegistry {
  private readonly byVisitor = new Map<string, Set<VisitorConnection>>();

  add(connection: VisitorConnection): void {
    if (!connection.visitorId) return;
    const set = this.byVisitor.get(connection.visitorId);
    if (set) set.add(connection);
    else this.byVisitor.set(connection.visitorId, new Set([connection]));
  }

  /** Removes the socket; true when it was the visitor's last one on this node. */
  remove(connection: VisitorConnection): boolean {
    if (!connection.visitorId) return false;
    const set = this.byVisitor.get(connection.visitorId);
    if (!set?.delete(connection)) return false;
    if (set.size > 0) return false;
    this.byVisitor.delete(connection.visitorId);
    return true;
  }

  of(visitorId: string): ReadonlySet<VisitorConnection> | undefined {
    return this.byVisitor.get(visitorId);
  }

  visitorIds(): string[] {
    return [...this.byVisitor.keys()];
  }

  get size(): number {
    let total = 0;
    for (const set of this.byVisitor.values()) total += set.size;
    return total;
  }
}

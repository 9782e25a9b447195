import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Kysely's SQLite dialect with a first-come, first-served turn on its one connection.
 *
 * Kysely's own driver guards the connection with a mutex whose every release wakes all waiters,
 * of which all but one go back to waiting: with N queries queued (a burst of visitors starting
 * chats, a reconnect storm) a release costs O(N) promise wake-ups and N queries O(N²). In a burst
 * of 2,000 chat starts that was ~15 % of the server's time (the lock, GC and microtasks), and the
 * order in which waiters got the connection was whatever the microtask queue made of it. Here the
 * releasing holder hands the connection to the longest waiter directly.
 */
export class FifoSqliteDialect extends SqliteDialect {
  constructor(private readonly driverConfig: SqliteDialectConfig) {
    super(driverConfig);
  }

  override createDriver(): Driver {
    return new FifoSqliteDriver(this.driverConfig);
  }
}

class FifoSqliteDriver extends SqliteDriver {
  private readonly turns = new FifoMutex();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.turns.lock();
    // Kysely's own mutex is free now (only the turn's holder reaches it): taking it costs nothing.
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.turns.unlock();
  }
}

/** A mutex whose release passes it to the longest waiter (one wake-up per release). */
export class FifoMutex {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

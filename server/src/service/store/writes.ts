import { setImmediate } from 'node:timers';
import { sql, type Transaction } from 'kysely';
import { ConcurrencyGate } from '../../store/concurrencyGate.js';
import type { Store } from '../../store/index.js';
import type { SqliteConnection } from '../../store/sqliteConnection.js';
import type { ServiceDatabase, ServiceDb } from './schema.js';
import { isRetryableConflict, Rollback } from './util.js';

export type Trx = Transaction<ServiceDatabase>;

/**
 * How the CS system's writes reach the database: every write is a unit of work on a transaction,
 * and its promise settles only after that transaction committed and is on disk.
 *
 * On SQLite the event loop has one connection (the message group commit has its own thread),
 * and a `synchronous=FULL` COMMIT on it fsyncs on the event loop, where nothing else runs
 * meanwhile (not even accepting connections). So the units started while a
 * commit is being prepared share one transaction, committed with `synchronous=NORMAL` and made
 * durable by the store's fsync of the WAL off the loop (store/sqliteConnection.ts) before any unit
 * settles: as durable as FULL once the promises resolve. Each unit runs inside its own savepoint,
 * so one that throws (a conditional update that found nothing, a unique violation) is rolled back
 * alone and its caller gets the error, while the others commit. Units must touch nothing but the
 * database (a batch with a failing unit is run a second time). Units run one after another, in
 * the order they were started, exactly as separate transactions would on a single connection.
 * Units started while a batch waits for its fsync go into the next one, so batches grow with the
 * load by themselves.
 *
 * On PostgreSQL each unit is its own transaction: the pool runs them in parallel (a few at a time,
 * the rest waiting in order) and the server groups their WAL flushes itself.
 */
export interface WriteTransactions {
  run<T>(work: (trx: Trx) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: one statement that is a whole unit by itself, run outside a transaction (it
   * commits alone), through the same gate as the units. Saves a unit's BEGIN and COMMIT round trips.
   */
  statement?: <T>(work: (db: ServiceDb) => Promise<T>) => Promise<T>;
  /** Resolves once every unit started so far has settled (a graceful stop, before the store closes). */
  settled(): Promise<void>;
}

/**
 * Runs a conditional unit (one that throws Rollback when the state it expects is gone): its value,
 * or undefined when it rolled back on purpose. Run again on a PostgreSQL deadlock.
 */
export async function attempt<T>(writes: WriteTransactions, work: (trx: Trx) => Promise<T>): Promise<{ value: T } | undefined> {
  for (let round = 0; ; round += 1) {
    try {
      return { value: await writes.run(work) };
    } catch (error) {
      if (error instanceof Rollback) return undefined;
      if (isRetryableConflict(error) && round < 3) continue;
      throw error;
    }
  }
}

/**
 * PostgreSQL: units running at once (of the pool's 10 connections). A burst of 2,000 chat starts
 * on two nodes otherwise waited for a connection past the pool's 3 s timeout: 262 starts failed
 * as `unavailable` (docs/performance.md, section 16).
 */
const POSTGRES_UNITS_AT_ONCE = 6;

/** At most this many units share one commit (bounds how long one transaction holds the connection). */
const MAX_UNITS_PER_COMMIT = 500;

export function createWriteTransactions(db: ServiceDb, store: Pick<Store, 'sqlite'>): WriteTransactions {
  if (!store.sqlite) {
    const gate = new ConcurrencyGate(POSTGRES_UNITS_AT_ONCE);
    return { run: (work) => gate.run(() => db.transaction().execute(work)), statement: (work) => gate.run(() => work(db)), settled: () => gate.idle() };
  }
  return new GroupCommit(db, store.sqlite);
}

interface Unit {
  work: (trx: Trx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

class GroupCommit implements WriteTransactions {
  private readonly waiting: Unit[] = [];
  private scheduled = false;
  private committing = false;
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    private readonly db: ServiceDb,
    private readonly sqlite: SqliteConnection,
  ) {}

  run<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** At the end of the current turn, so the units that this turn's events started join in. */
  private schedule(): void {
    if (this.scheduled || this.committing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.commit();
    });
  }

  private async commit(): Promise<void> {
    this.committing = true;
    const units = this.waiting.splice(0, MAX_UNITS_PER_COMMIT);
    try {
      // Most batches have no unit that throws: run them without savepoints, and only when one does
      // roll everything back and run the batch again, each unit in its savepoint.
      const outcomes = await this.execute(units, false).catch((error: unknown) => {
        if (!(error instanceof UnitFailed)) throw error;
        // Alone in its batch, the unit's rollback was the whole transaction's.
        return units.length === 1 ? [{ ok: false as const, error: error.cause }] : this.execute(units, true);
      });
      // The WAL is appended in order: this fsync covers the commit just made.
      await this.sqlite.durable();
      units.forEach((unit, i) => {
        const outcome = outcomes[i] as Outcome;
        if (outcome.ok) unit.resolve(outcome.value);
        else unit.reject(outcome.error);
      });
    } catch (error) {
      // The commit or its fsync failed: what became of the batch is unknown, every caller hears so.
      for (const unit of units) unit.reject(error);
    } finally {
      this.committing = false;
      if (this.waiting.length > 0) this.schedule();
      else for (const resolve of this.settledWaiters.splice(0)) resolve();
    }
  }

  settled(): Promise<void> {
    if (!this.scheduled && !this.committing && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private execute(units: readonly Unit[], savepoints: boolean): Promise<Outcome[]> {
    return this.db.connection().execute((connection) =>
      this.sqlite.relaxed(() =>
        connection.transaction().execute(async (trx) => {
          const done: Outcome[] = [];
          for (const unit of units) done.push(savepoints ? await inSavepoint(trx, unit.work) : { ok: true, value: await unit.work(trx).catch(unitFailed) });
          return done;
        }),
      ),
    );
  }
}

/** A unit threw in a batch run without savepoints. */
class UnitFailed extends Error {
  override name = 'UnitFailed';
}

function unitFailed(cause: unknown): never {
  throw new UnitFailed('a unit of the batch failed', { cause });
}

async function inSavepoint(trx: Trx, work: (trx: Trx) => Promise<unknown>): Promise<Outcome> {
  await sql`savepoint cs_unit`.execute(trx);
  try {
    const value = await work(trx);
    await sql`release savepoint cs_unit`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint cs_unit`.execute(trx);
    await sql`release savepoint cs_unit`.execute(trx);
    return { ok: false, error };
  }
}

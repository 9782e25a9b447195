import { setImmediate, setTimeout } from 'node:timers';
import { sql, type Transaction } from 'kysely';
import type { Store } from '../../store/index.js';
import type { ServiceDatabase, ServiceDb } from './schema.js';

export type Trx = Transaction<ServiceDatabase>;

/**
 * How the CS system's writes reach the database: every write is a unit of work on a transaction,
 * and its promise settles only after that transaction committed.
 *
 * On SQLite there is one connection and every COMMIT is an fsync on the event loop (synchronous =
 * FULL), which would cap the CS system at about a thousand commits a second. So the units started
 * while a commit is being prepared share one transaction: each runs inside its own savepoint, so a
 * unit that throws (a conditional update that found nothing, a unique violation) is rolled back
 * alone and its caller gets the error, while the others commit. Units must touch nothing but the
 * database (a batch with a failing unit is run a second time). Units run one after another, in
 * the order they were started, exactly as separate transactions would on a single connection.
 * While the fsync blocks the event loop nothing else runs (not even accepting connections), so
 * once commits come faster than BUSY_COMMITS_PER_S they are paced: the next one starts no sooner
 * than PACE times the last COMMIT's duration after it, which keeps commits below a quarter of the
 * loop's time and lets batches grow with the load instead (a lightly loaded server still commits
 * at the end of the turn).
 *
 * On PostgreSQL each unit is its own transaction: the pool runs them in parallel and the server
 * groups their WAL flushes itself.
 */
export interface WriteTransactions {
  run<T>(work: (trx: Trx) => Promise<T>): Promise<T>;
}

/** At most this many units share one commit (bounds how long one transaction holds the connection). */
const MAX_UNITS_PER_COMMIT = 500;
/** Pause after a commit, in multiples of how long its COMMIT took, and at most this long. */
const PACE = 3;
const MAX_PAUSE_MS = 20;
const BUSY_COMMITS_PER_S = 200;
const RATE_WINDOW_MS = 100;

export function createWriteTransactions(db: ServiceDb, dialect: Store['dialect']): WriteTransactions {
  if (dialect !== 'sqlite') return { run: (work) => db.transaction().execute(work) };
  return new GroupCommit(db);
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
  /** When the next commit may start, and when the last batch's units were done (performance.now()). */
  private nextAt = 0;
  private unitsDoneAt = 0;
  /** Commits in the current rate window, and when it began. */
  private recentCommits = 0;
  private windowStart = 0;

  constructor(private readonly db: ServiceDb) {}

  run<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** At the end of the current turn (so the units that this turn's events started join in), or after the pause. */
  private schedule(): void {
    if (this.scheduled || this.committing) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.commit();
    };
    const pause = this.waiting.length >= MAX_UNITS_PER_COMMIT ? 0 : this.nextAt - performance.now();
    if (pause > 0) setTimeout(run, pause);
    else setImmediate(run);
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
      units.forEach((unit, i) => {
        const outcome = outcomes[i] as Outcome;
        if (outcome.ok) unit.resolve(outcome.value);
        else unit.reject(outcome.error);
      });
    } catch (error) {
      // The commit itself failed: nothing of this batch was written.
      for (const unit of units) unit.reject(error);
    } finally {
      this.pace(performance.now() - this.unitsDoneAt);
      this.committing = false;
      if (this.waiting.length > 0) this.schedule();
    }
  }

  private pace(commitMs: number): void {
    const now = performance.now();
    if (now - this.windowStart > RATE_WINDOW_MS) {
      this.windowStart = now;
      this.recentCommits = 0;
    }
    this.recentCommits += 1;
    const busy = this.recentCommits >= (BUSY_COMMITS_PER_S * RATE_WINDOW_MS) / 1000;
    this.nextAt = busy ? now + Math.min(MAX_PAUSE_MS, PACE * commitMs) : 0;
  }

  private execute(units: readonly Unit[], savepoints: boolean): Promise<Outcome[]> {
    return this.db.transaction().execute(async (trx) => {
      const done: Outcome[] = [];
      for (const unit of units) done.push(savepoints ? await inSavepoint(trx, unit.work) : { ok: true, value: await unit.work(trx).catch(unitFailed) });
      this.unitsDoneAt = performance.now();
      return done;
    });
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

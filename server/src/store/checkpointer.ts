import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 100;

/*
 * Runs in the worker, on its own connection. PASSIVE never waits for the writer and never blocks
 * it; it copies what no reader still needs, after syncing the WAL, and syncs the database file
 * after (synchronous=FULL on this connection), so a restarted WAL never loses a committed page.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.run(); } catch (error) { parentPort.postMessage({ error: String(error) }); }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the worker after closing its connection. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop (the main connection runs with
 * `wal_autocheckpoint=0`): an auto-checkpoint ran inside COMMIT and copied ~1,000 pages plus an
 * fsync of the database file there, p99 16 ms per commit. Should the worker fail, `onFailure`
 * gets the main connection checkpointing again, so the WAL cannot grow without bound.
 */
export function startCheckpointer(file: string, onFailure: (error: unknown) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS } });
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: { error?: string }) => onFailure(new Error(`WAL checkpoint failed: ${message.error ?? 'unknown'}`)));
  worker.on('error', (error) => onFailure(error));
  void exited.then(() => {
    if (!stopping) onFailure(new Error('The WAL checkpoint worker stopped.'));
  });
  // Not a reason to keep the process alive on its own.
  worker.unref();
  return {
    async stop() {
      stopping = true;
      worker.ref(); // the wait for its exit has to keep the process alive
      worker.postMessage('stop');
      await exited;
    },
  };
}

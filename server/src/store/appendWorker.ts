import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { prepareAppendTransaction } from './repositories/sqliteAppend.js';
import { configureSqliteConnection } from './sqlitePragmas.js';
import type { AppendMessage, AppendReply, AppendWorkerData } from './appendThread.js';

/*
 * The message group commit's thread (appendThread.ts starts it): its own connection to the
 * database file, the transaction of sqliteAppend.ts, one job at a time in the order they come.
 * COMMIT syncs the WAL here (synchronous=FULL) before the commit becomes visible to any reader,
 * so a message another connection can read is already on disk and the reply means "durable".
 */
if (!parentPort) throw new Error('appendWorker.js runs as a worker thread only.');
const port = parentPort;
const { file, cacheKib, autoCheckpoint } = workerData as AppendWorkerData;

const handle = new SqliteDatabase(file);
configureSqliteConnection(handle, cacheKib);
// Checkpoints are the checkpointer's (checkpointer.ts); a commit here must not run one, unless
// that worker failed: then this connection, which makes most commits, keeps the WAL bounded.
const checkpointAsSqliteDoes = () => handle.pragma('wal_autocheckpoint = 1000');
if (autoCheckpoint) checkpointAsSqliteDoes();
else handle.pragma('wal_autocheckpoint = 0');
const append = prepareAppendTransaction(handle);

port.on('message', (job: AppendMessage) => {
  if (job === 'close') {
    handle.close();
    port.close();
    return;
  }
  if (job === 'autocheckpoint') {
    checkpointAsSqliteDoes();
    return;
  }
  let reply: AppendReply;
  try {
    reply = { id: job.id, outcomes: append(job.requests, job.now) };
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    reply = { id: job.id, error: { message: String(message ?? error), ...(typeof code === 'string' ? { code } : {}) } };
  }
  port.postMessage(reply);
});

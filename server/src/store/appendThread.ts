import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AppendOutcome, AppendRequest } from './repositories/messageBatch.js';

export interface AppendWorkerData {
  file: string;
  cacheKib: number;
  /** The checkpoint worker failed: this connection checkpoints as SQLite does by default. */
  autoCheckpoint: boolean;
}

export interface AppendJob {
  id: number;
  requests: readonly AppendRequest[];
  now: number;
}

/** What the main thread posts: a batch, or one of the commands. */
export type AppendMessage = AppendJob | 'autocheckpoint' | 'close';

export type AppendReply = { id: number; outcomes: AppendOutcome[] } | { id: number; error: { message: string; code?: string } };

/** The message group commit on a thread of its own (appendWorker.ts). */
export interface AppendThread {
  /** Runs one batch's transaction there; resolves once it is committed and on disk. */
  append(requests: readonly AppendRequest[], now: number): Promise<AppendOutcome[]>;
  /** From now on the thread's commits checkpoint the WAL themselves (the checkpoint worker failed). */
  enableAutoCheckpoint(): void;
  /** Closes the thread's connection and waits for it to exit (call once no append is pending). */
  stop(): Promise<void>;
}

/**
 * From the compiled tree the worker sits beside this file. Run from the TypeScript sources
 * (vitest), it is the compiled copy, which the test run builds first (vitest.globalSetup.ts):
 * a worker thread cannot load TypeScript.
 */
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('../../dist/store/appendWorker.js', import.meta.url) : new URL('./appendWorker.js', import.meta.url);

/** How long a stop waits for the thread to close its connection before terminating it. */
const STOP_GRACE_MS = 2000;

interface Pending {
  resolve: (outcomes: AppendOutcome[]) => void;
  reject: (error: Error) => void;
}

/** One started thread and the batches it owes an answer. */
interface Running {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Starts the thread at the first append, so a node that never stores a message never pays for
 * it. Should the thread die, its pending batches fail (their senders resend, im/messageSender.ts
 * recovers what was in fact stored) and the next append starts a new one. The thread keeps the
 * process alive only while a batch is pending.
 */
export function createAppendThread(data: Omit<AppendWorkerData, 'autoCheckpoint'>, workerUrl: URL = WORKER_URL): AppendThread {
  let running: Running | undefined;
  let nextId = 1;
  let autoCheckpoint = false;

  const spawn = (): Running => {
    if (workerUrl.protocol === 'file:' && !existsSync(fileURLToPath(workerUrl))) {
      throw new Error(`The message store thread's code is missing (${fileURLToPath(workerUrl)}): build the server first (npm run build:node).`);
    }
    const worker = new Worker(workerUrl, { workerData: { ...data, autoCheckpoint } satisfies AppendWorkerData });
    const started: Running = { worker, pending: new Map() };
    const failAll = (error: Error) => {
      const waiting = [...started.pending.values()];
      started.pending.clear();
      for (const entry of waiting) entry.reject(error);
    };
    worker.unref();
    worker.on('message', (reply: AppendReply) => {
      const entry = started.pending.get(reply.id);
      if (!entry) return;
      started.pending.delete(reply.id);
      if (started.pending.size === 0) worker.unref();
      if ('outcomes' in reply) entry.resolve(reply.outcomes);
      else entry.reject(Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
    });
    worker.on('error', (error) => failAll(error));
    worker.once('exit', (code) => {
      if (running === started) running = undefined;
      failAll(new Error(`The message store thread stopped (exit code ${code}).`));
    });
    return started;
  };

  const post = (target: Running, message: AppendMessage) => target.worker.postMessage(message);

  return {
    append(requests, now) {
      let target: Running;
      try {
        target = running ??= spawn();
      } catch (error) {
        return Promise.reject(error as Error);
      }
      const id = nextId++;
      if (target.pending.size === 0) target.worker.ref();
      return new Promise<AppendOutcome[]>((resolve, reject) => {
        target.pending.set(id, { resolve, reject });
        post(target, { id, requests, now });
      });
    },
    enableAutoCheckpoint() {
      autoCheckpoint = true;
      if (running) post(running, 'autocheckpoint');
    },
    async stop() {
      const target = running;
      if (!target) return;
      running = undefined;
      target.worker.ref(); // the wait for its exit has to keep the process alive
      const exited = new Promise<void>((resolve) => target.worker.once('exit', () => resolve()));
      post(target, 'close');
      const deadline = setTimeout(() => void target.worker.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(deadline);
    },
  };
}

import { Worker } from 'node:worker_threads';
import type { AppendOutcome, AppendRequest } from './repositories/messageBatch.js';

export interface AppendWorkerData {
  file: string;
  cacheKib: number;
}

export interface AppendJob {
  id: number;
  requests: readonly AppendRequest[];
  now: number;
}

export type AppendReply = { id: number; outcomes: AppendOutcome[] } | { id: number; error: { message: string; code?: string } };

/** The message group commit on a thread of its own (appendWorker.ts). */
export interface AppendThread {
  /** Runs one batch's transaction there; resolves once it is committed and on disk. */
  append(requests: readonly AppendRequest[], now: number): Promise<AppendOutcome[]>;
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

/**
 * Starts the thread at the first append, so a node that never stores a message never pays for
 * it. Should the thread die, its pending batches fail (their senders resend, im/messageSender.ts
 * recovers what was in fact stored) and the next append starts a new one. The thread keeps the
 * process alive only while a batch is pending.
 */
export function createAppendThread(data: AppendWorkerData, workerUrl: URL = WORKER_URL): AppendThread {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error) => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const entry of waiting) entry.reject(error);
  };

  const spawn = (): Worker => {
    const started = new Worker(workerUrl, { workerData: data });
    started.unref();
    started.on('message', (reply: AppendReply) => {
      const entry = pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      if ('outcomes' in reply) entry.resolve(reply.outcomes);
      else entry.reject(Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
    });
    started.on('error', (error) => failAll(error));
    started.once('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`The message store thread stopped (exit code ${code}).`));
    });
    return started;
  };

  return {
    append(requests, now) {
      worker ??= spawn();
      const target = worker;
      const id = nextId++;
      if (pending.size === 0) target.ref();
      return new Promise<AppendOutcome[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        target.postMessage({ id, requests, now } satisfies AppendJob);
      });
    },
    async stop() {
      const running = worker;
      if (!running) return;
      worker = undefined;
      running.ref(); // the wait for its exit has to keep the process alive
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.postMessage('close');
      const deadline = setTimeout(() => void running.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(deadline);
    },
  };
}

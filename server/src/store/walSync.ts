import fs from 'node:fs';

/**
 * fsync of the SQLite write-ahead log, off the event loop. The CS system's units commit on the
 * main connection with `synchronous=NORMAL` (their frames reach the OS, not yet the disk) and
 * settle only once `durable()` resolves: a `fdatasync` of the WAL on libuv's thread pool that
 * covers those commits. (The message group commit syncs on its own thread: appendWorker.ts.)
 * What reaches the disk is then what `synchronous=FULL` would have made durable before COMMIT
 * returned (the WAL is appended in order, so one fsync covers every earlier commit), but the loop
 * keeps serving sockets meanwhile and commits made during one fsync share the next. One fsync
 * runs at a time.
 */
export interface WalSync {
  /** Counts a commit whose frames are written but maybe not on disk. */
  committed(): void;
  /** Resolves once the WAL is on disk up to every commit counted so far. */
  durable(): Promise<void>;
  /** Waits for the fsync in flight and closes the file. */
  close(): Promise<void>;
}

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export function createWalSync(walPath: string): WalSync {
  let fd: number | undefined;
  let commits = 0;
  let synced = 0;
  let inFlight = false;
  let waiters: Waiter[] = [];
  const idle: (() => void)[] = [];

  const settle = (upTo: number, error: Error | null) => {
    // A failed fsync leaves these commits of unknown durability: every unit waiting on them
    // fails, and its caller hears so (service/store/writes.ts).
    synced = upTo;
    const due = waiters.filter((waiter) => waiter.upTo <= upTo);
    waiters = waiters.filter((waiter) => waiter.upTo > upTo);
    for (const waiter of due) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  };

  const start = () => {
    if (inFlight) return;
    if (synced >= commits) {
      for (const resolve of idle.splice(0)) resolve();
      return;
    }
    const upTo = commits;
    try {
      fd ??= fs.openSync(walPath, 'r');
    } catch (error) {
      settle(upTo, error as Error);
      return;
    }
    inFlight = true;
    fs.fdatasync(fd, (error) => {
      inFlight = false;
      settle(upTo, error);
      start();
    });
  };

  return {
    committed() {
      commits += 1;
    },
    durable() {
      const upTo = commits;
      if (upTo <= synced) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiters.push({ upTo, resolve, reject });
        start();
      });
    },
    async close() {
      if (inFlight) await new Promise<void>((resolve) => idle.push(resolve));
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

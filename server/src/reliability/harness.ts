import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Shared plumbing for the fault suite: where things are, the quick/soak switch, a seeded random
 * source (it decides WHEN faults happen, never whether a test passes), free ports, temp folders
 * and a cleanup list that runs even when a test fails.
 */

/** The repository root (this file lives in server/src/reliability or server/dist/reliability). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The node entry point; SWITCHBOARD_FAULT_SERVER_MAIN points the suite at another build (e.g. a deliberately broken one). */
export const SERVER_MAIN = process.env.SWITCHBOARD_FAULT_SERVER_MAIN ?? path.join(REPO_ROOT, 'server/dist/main.js');

/** `npm run soak` sets SWITCHBOARD_SOAK=1: the same tests, longer and with more faults. */
export const SOAK = process.env.SWITCHBOARD_SOAK === '1';

/** A small deterministic PRNG (mulberry32) so a run's fault schedule can be replayed from its seed. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** SWITCHBOARD_FAULT_SEED replays a schedule; otherwise a fresh seed that the test prints. */
export function faultRandom(): Random {
  const fromEnv = Number(process.env.SWITCHBOARD_FAULT_SEED);
  return new Random(Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; throws with `describe()` once `timeoutMs` has passed. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(intervalMs);
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the server is restarted on the same one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-${prefix}-`));
}

/** Cleanup steps run last-in first-out; each failure is collected, none stops the others. */
export class Cleanup {
  private readonly steps: { name: string; run: () => unknown }[] = [];

  add(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  async run(): Promise<void> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop();
      if (!step) break;
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`cleanup failed:\n  ${failures.join('\n  ')}`);
  }
}

/**
 * Makes sure server/dist is built and not older than the sources (`npm test` builds it first; a
 * lone `vitest run` may not have), then takes a private copy of it for this worker. Children run
 * from the copy, so a rebuild of server/dist while the suite runs (another worker, an editor's
 * watch mode) cannot swap files under a starting node. Returns the copy's main.js.
 * SWITCHBOARD_FAULT_SERVER_MAIN instead runs another build as is (e.g. a deliberately broken one).
 */
export function ensureServerBuilt(): string {
  if (process.env.SWITCHBOARD_FAULT_SERVER_MAIN) return SERVER_MAIN;
  if (snapshotMain) return snapshotMain;
  fs.mkdirSync(DIST, { recursive: true });
  withBuildLock(() => {
    if (needsBuild()) {
      try {
        execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'server'], { cwd: REPO_ROOT, stdio: 'pipe' });
      } catch (error) {
        // tsc -b still emits on type errors elsewhere in the tree; only a missing entry point is fatal.
        if (!fs.existsSync(SERVER_MAIN)) throw error;
      }
    }
    const snapshots = path.join(DIST, '.fault-snapshots');
    fs.mkdirSync(snapshots, { recursive: true });
    for (const old of fs.readdirSync(snapshots)) {
      const full = path.join(snapshots, old);
      if (Date.now() - fs.statSync(full).mtimeMs > 3600_000) fs.rmSync(full, { recursive: true, force: true });
    }
    const copy = fs.mkdtempSync(path.join(snapshots, `${process.pid}-`));
    for (const entry of fs.readdirSync(DIST)) {
      if (entry.startsWith('.fault-')) continue;
      fs.cpSync(path.join(DIST, entry), path.join(copy, entry), { recursive: true, filter: (source) => !source.endsWith('.map') });
    }
    snapshotMain = path.join(copy, 'main.js');
  });
  return snapshotMain ?? SERVER_MAIN;
}

/** Removes this worker's copy of the build (afterAll; copies older than an hour are swept anyway). */
export function releaseServerBuild(): void {
  if (!snapshotMain) return;
  fs.rmSync(path.dirname(snapshotMain), { recursive: true, force: true });
  snapshotMain = undefined;
}

/** The entry point children run: this worker's copy once ensureServerBuilt() ran. */
export function serverMain(): string {
  return snapshotMain ?? SERVER_MAIN;
}

/** A file of the build children run, e.g. "reliability/receiverProcess.js". */
export function builtFile(relative: string): string {
  return path.join(path.dirname(serverMain()), relative);
}

const DIST = path.join(REPO_ROOT, 'server/dist');
let snapshotMain: string | undefined;

/** Serialises building and copying across the suite's parallel workers (a lock folder). */
function withBuildLock(run: () => void): void {
  const lock = path.join(DIST, '.fault-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another worker holds it; one abandoned for two minutes is taken over.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another worker to build server/dist');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    run();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Missing, or a source compiled into server/dist is newer than the last build (its tsbuildinfo). */
function needsBuild(): boolean {
  if (!fs.existsSync(SERVER_MAIN)) return true;
  const buildInfo = fs.statSync(path.join(REPO_ROOT, 'server/tsconfig.tsbuildinfo'), { throwIfNoEntry: false });
  if (!buildInfo) return true;
  return newestSource(path.join(REPO_ROOT, 'server/src')) > buildInfo.mtimeMs || newestSource(path.join(REPO_ROOT, 'packages/protocol/src')) > buildInfo.mtimeMs;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test') newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

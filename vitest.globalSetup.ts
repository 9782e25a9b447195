import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Builds the server (incremental: under a second when nothing changed) before any test runs.
 * The tests run the TypeScript sources, but a worker thread cannot load TypeScript: the SQLite
 * group commit's thread (server/src/store/appendThread.ts) runs its compiled copy.
 */
export default function buildServer(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'server'], { cwd: import.meta.dirname, stdio: 'inherit' });
}

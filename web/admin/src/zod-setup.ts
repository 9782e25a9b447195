/*
 * Imported first by main.tsx, before any schema is built. Zod's JIT probes `new Function`, which the
 * server's Content-Security-Policy (no 'unsafe-eval') blocks and reports as a violation on every
 * page load; the interpreter is plenty fast for the console's small answers.
 */
import { config } from 'zod';

config({ jitless: true });

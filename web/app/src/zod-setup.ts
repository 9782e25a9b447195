/*
 * Imported first by main.tsx, before any schema is built. Zod's JIT probes `new Function`, which the
 * server's Content-Security-Policy (no 'unsafe-eval') blocks and reports as a violation on every
 * page load. The interpreter is fast enough for the frames the app parses.
 */
import { config } from 'zod';

config({ jitless: true });

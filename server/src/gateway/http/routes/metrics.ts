import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { ImServer } from '../../../im/index.js';

const RESOLUTION_MS = 10;

/** Addresses allowed to read /metrics: the machine itself only. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * GET /metrics: process figures for the load harness (`npm run bench`). Registered only when
 * SWITCHBOARD_METRICS=1 and answered only to loopback peers, so a production node exposes nothing.
 * CPU and counters are cumulative (the caller takes differences); the event-loop lag histogram
 * covers the time since the previous `?reset=1`.
 */
export function metricsRoutes(app: FastifyInstance, im: ImServer, connections: () => number): void {
  const loop: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  let since = Date.now();
  app.get<{ Querystring: { reset?: string; gc?: string } }>('/metrics', async (request, reply) => {
    if (!LOOPBACK.test(request.socket.remoteAddress ?? '')) return reply.code(404).send({ error: { code: 'not_found', message: 'Not found.', retryable: false } });
    // With node --expose-gc (the harness starts its server so), ?gc=1 collects first: steadier RSS.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (request.query.gc === '1' && gc) gc();
    const memory = process.memoryUsage();
    const lag = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
    const body = {
      pid: process.pid,
      uptimeMs: Math.round(process.uptime() * 1000),
      cpu: process.cpuUsage(),
      memory: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers },
      // How late the histogram's own 10 ms timer fired: the time a ready callback waited.
      eventLoopLagMs: {
        sinceMs: Date.now() - since,
        p50: lag(loop.percentile(50)),
        p99: lag(loop.percentile(99)),
        max: lag(loop.max),
      },
      connections: connections(),
      sender: im.sender.stats(),
    };
    if (request.query.reset === '1') {
      loop.reset();
      since = Date.now();
    }
    return reply.header('cache-control', 'no-store').send(body);
  });
}

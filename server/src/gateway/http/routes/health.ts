import type { FastifyInstance } from 'fastify';
import type { Bus } from '../../../bus/bus.js';
import type { Store } from '../../../store/index.js';

/** GET /healthz: 200 when the store and bus answer, 503 "degraded" otherwise. */
export function healthRoutes(app: FastifyInstance, store: Store, bus: Bus, nodeId: string, connections: () => number): void {
  app.get('/healthz', async (_request, reply) => {
    const storeOk = await store.ping(1500);
    const busOk = bus.health() === 'ok';
    const status = storeOk && busOk ? 'ok' : 'degraded';
    return reply.code(status === 'ok' ? 200 : 503).send({
      status,
      store: storeOk ? 'ok' : 'down',
      bus: busOk ? 'ok' : 'down',
      node: nodeId,
      connections: connections(),
    });
  });
}

// Customer service (visitors and agents): the slot for the service figures of issue 6.
//
// To be written once the customer-service system (server/src/service, /visitor WebSocket, agent
// frames on /ws) has landed. The intended shape, reusing lib/harness.mjs and lib/generator.mjs:
//   - seed A agents (role agent) with sessions, and one widget site with its site key;
//   - agent clients connect to /ws, hello, `duty.set available`;
//   - visitor clients (a new generator kind) open /visitor from 127.0.x.y with the site's Origin,
//     `v.hello`, then `v.start` with a first message at an offered arrival rate (steps);
//   - figures: routing decisions per second (visitors assigned / s) and the time from `v.start`
//     to the assigned agent's `visitor.chat` frame (p50/p99), plus relay latency both ways.
// Headline fields: service_decisions_per_s, service_notify_p99_ms.

export const SERVICE_HEADLINES = ['service_decisions_per_s', 'service_notify_p99_ms'];

export async function runService(_options, log) {
  log('service: not measured yet (the customer-service system is being built); headline fields stay null');
  return { skipped: true, reason: 'customer-service system not available yet' };
}

import { randomUUID } from 'node:crypto';
import type { Bus } from '../bus/bus.js';
import type { Store } from '../store/index.js';
import { AgentDuty } from './agentDuty.js';
import { startAgentCommands } from './agentCommands.js';
import { ServiceAdmin } from './admin.js';
import { SystemLines } from './announce.js';
import { ChatRouter } from './chatRouter.js';
import { ChatClosing } from './closing.js';
import { Notifier } from './notify.js';
import { OfflineMessages } from './offline.js';
import { ChatQueue } from './queue.js';
import { Relay } from './relay.js';
import { ServiceReports } from './reports.js';
import { DEFAULT_COLOR, DEFAULT_GREETING, Sites } from './sites.js';
import { createServiceRepositories, type ServiceRepositories } from './store/index.js';
import { Sweeper } from './sweeper.js';
import { Transcripts } from './transcripts.js';
import { Transfers } from './transfers.js';
import { VisitorSessions } from './visitorSessions.js';
import { ChatViews } from './views.js';

/** How long a stop waits for the CS writes still queued (see stop()). */
const WRITES_SETTLE_GRACE_MS = 2000;

export interface ServiceOptions {
  agentLeaseMs: number;
  visitorGraceMs: number;
  /** A visitor no node reported present for this long is gone (crashed node); see visitorPresenceMs(). */
  visitorLeaseMs: number;
  /** Open chats whose visitor has been gone this long are closed (0 = never). */
  chatAbandonMs: number;
  sweepMs: number;
  onError: (error: unknown) => void;
}

/**
 * The online customer-service management system (patent figure 3): agent duty, visitors, the
 * queue and routing, relay, transfers, transcripts, admin settings and reports. It owns the cs_
 * tables and talks to the IM server only over the bus ('im.agent' in, 'service.agent' out); the
 * gateway calls its commands for the visitor edge and the /api/service routes.
 */
export interface ServiceSystem {
  repos: ServiceRepositories;
  sites: Sites;
  visitors: VisitorSessions;
  relay: Relay;
  closing: ChatClosing;
  duty: AgentDuty;
  transfers: Transfers;
  transcripts: Transcripts;
  offline: OfflineMessages;
  admin: ServiceAdmin;
  reports: ServiceReports;
  queue: ChatQueue;
  lines: SystemLines;
  sweeper: Sweeper;
  /** First start: default settings, the demo site and the "General" department. */
  ensureDefaults(): Promise<void>;
  stop(): Promise<void>;
}

/** How often a node reports its connected visitors present: well inside the grace period. */
export function visitorPresenceMs(visitorGraceMs: number): number {
  return Math.max(50, Math.min(10_000, Math.floor(visitorGraceMs / 3)));
}

/** After this long without a presence report a visitor counts as gone even without a departure. */
export function visitorLeaseMs(visitorGraceMs: number): number {
  return visitorGraceMs + 3 * visitorPresenceMs(visitorGraceMs);
}

export function createServiceSystem(store: Store, bus: Bus, options: ServiceOptions): ServiceSystem {
  const now = () => Date.now();
  const repos = createServiceRepositories(store);
  const views = new ChatViews(repos);
  const notify = new Notifier(bus, repos, views);
  const lines = new SystemLines(repos, notify, now);
  const router = new ChatRouter(repos, now);
  const queue = new ChatQueue(repos, router, notify, lines, options.onError);
  const relay = new Relay(repos, notify, now);
  const closing = new ChatClosing(repos, notify, lines, queue, relay, now);
  const sites = new Sites(repos, now);
  const duty = new AgentDuty(repos, notify, lines, queue, views, sites, { agentLeaseMs: options.agentLeaseMs }, now);
  const transfers = new Transfers(repos, router, notify, lines, queue, relay, now);
  const visitors = new VisitorSessions(repos, sites, views, notify, lines, queue, closing, { visitorGraceMs: options.visitorGraceMs, visitorLeaseMs: options.visitorLeaseMs }, now);
  const stopCommands = startAgentCommands(bus, { duty, relay, closing, transfers }, options.onError);
  const sweeper = new Sweeper(
    [
      () => visitors.sweepDepartures(),
      () => transfers.sweepReplyTimeouts(),
      () => duty.sweepLapsed(),
      () => closing.sweepAbandoned(options.chatAbandonMs),
      async () => {
        await queue.drain();
      },
    ],
    options.sweepMs,
    options.onError,
  );
  sweeper.start();

  return {
    repos,
    sites,
    visitors,
    relay,
    closing,
    duty,
    transfers,
    transcripts: new Transcripts(repos, views),
    offline: new OfflineMessages(repos, now),
    admin: new ServiceAdmin(repos, queue, sites, now),
    reports: new ServiceReports(repos),
    queue,
    lines,
    sweeper,
    async ensureDefaults() {
      const at = now();
      if (!(await repos.settings.ensureDefaults(at))) return;
      if (!(await repos.departments.findByName('General'))) await repos.departments.create({ id: randomUUID(), name: 'General' }, at).catch(() => {});
      if (!(await repos.sites.findByKey('demo'))) {
        await repos.sites
          .create({
            id: randomUUID(),
            siteKey: 'demo',
            name: 'Demo site',
            allowedOrigins: ['self'],
            color: DEFAULT_COLOR,
            greeting: DEFAULT_GREETING,
            preChatEnabled: false,
            preChatFields: [
              { key: 'name', label: 'Name', kind: 'text', required: false },
              { key: 'email', label: 'Email', kind: 'email', required: false },
            ],
            createdAt: at,
            updatedAt: at,
          })
          .catch(() => {});
      }
    },
    async stop() {
      stopCommands();
      await sweeper.stop();
      await queue.drain();
      // The departures of the visitors whose sockets the stop just closed, among others; past
      // the grace they are left to the next start's sweep of visitors not seen for a while.
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([repos.writes.settled(), new Promise<void>((resolve) => (grace = setTimeout(resolve, WRITES_SETTLE_GRACE_MS)))]);
      clearTimeout(grace);
    },
  };
}

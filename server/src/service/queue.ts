import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import { chatEvent, type SystemLines } from './announce.js';
import type { ChatRouter } from './chatRouter.js';
import type { Notifier } from './notify.js';

/** How many queued chats one drain looks at. */
const DRAIN_BATCH = 200;

/**
 * The waiting line. Whenever room may have appeared (an agent came on duty or freed a seat, a
 * chat arrived, the sweeper's tick) the queue is drained: queued chats, longest waiter first, are
 * offered to agents by the routing rule until nobody has room. Drains on one node run one at a
 * time and coalesce; drains on different nodes are safe because every assignment is a conditional
 * update in the database.
 */
export class ChatQueue {
  private current: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;

  constructor(
    private readonly repos: ServiceRepositories,
    private readonly router: ChatRouter,
    private readonly notify: Notifier,
    private readonly lines: SystemLines,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves after a drain that started after this call has finished. */
  drain(): Promise<void> {
    if (this.pending) return this.pending;
    const run = this.current
      .then(() => {
        this.pending = undefined;
        return this.drainOnce();
      })
      .catch((error: unknown) => this.onError(error));
    this.pending = run;
    this.current = run;
    return run;
  }

  /** Announces a chat that was just assigned to `agentId`. */
  async assigned(chat: ChatRecord, agentId: string): Promise<void> {
    const agent = await this.repos.agents.find(agentId);
    const fresh = await this.notify.chat(chat.id);
    if (fresh) await this.lines.post(fresh, chatEvent('agent_joined', { agent: agent?.displayName }), true);
  }

  private async drainOnce(): Promise<void> {
    const queued = await this.repos.chats.queued(DRAIN_BATCH);
    if (queued.length === 0) return;
    // Nobody anywhere has room: nothing to try (the common case while every agent is full).
    if ((await this.repos.agents.candidates(null, [])).length === 0) return;
    let changed = false;
    for (const chat of queued) {
      const visitor = await this.repos.visitors.find(chat.visitorId);
      const agentId = await this.router.assign(chat, { prefer: visitor?.lastAgentId ?? null });
      if (agentId) {
        changed = true;
        await this.assigned(chat, agentId);
        continue;
      }
      // Without a department every agent could have taken it: nobody has room, stop here.
      if (chat.departmentId === null && (await this.repos.agents.candidates(null, [])).length === 0) break;
    }
    if (changed) await this.notify.queuePositions();
  }
}

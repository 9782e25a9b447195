import type { VisitorChatView } from '@switchboard/protocol';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import type { ChatAppendOutcome } from './store/messages.js';
import { attempt, type Trx } from './store/writes.js';
import { chatEvent, type SystemLines } from './announce.js';
import type { ChatRouter, Proposal } from './chatRouter.js';
import type { Notifier } from './notify.js';

/** How many queued chats one pass of a drain looks at, and how many passes one drain makes at most. */
const DRAIN_BATCH = 200;
const MAX_PASSES = 50;
/** Passes in a row in which the database refused every proposal (other nodes racing) before the sweeper takes over. */
const MAX_REFUSED_PASSES = 3;

/** A chat just assigned, and its "joined" line stored with the assignment. */
export interface Assigned {
  chatId: string;
  line: ChatAppendOutcome;
}

/** The seat a chat being created may take in the unit that creates it (see ChatQueue.arrive). */
export interface ArrivalSeat {
  agentId: string;
  agentName: string;
  now: number;
  replyDueAt: number | null;
}

/** What a drain did: the visitor's view of each chat it assigned, by chat id. */
export type DrainResult = ReadonlyMap<string, VisitorChatView>;

/**
 * The waiting line. Whenever room may have appeared (an agent came on duty or freed a seat, a
 * chat arrived, the sweeper's tick) the queue is drained: queued chats, longest waiter first, are
 * offered to agents by the routing rule until nobody has room. Drains on one node run one at a
 * time and coalesce; drains on different nodes are safe because every assignment is a conditional
 * update in the database. A chat that arrives while nobody waits may skip the line (arrive).
 */
export class ChatQueue {
  private current: Promise<DrainResult> = Promise.resolve(new Map());
  private pending: Promise<DrainResult> | undefined;
  /** Chats being created on this node right now (see arrive). */
  private arriving = 0;

  constructor(
    private readonly repos: ServiceRepositories,
    private readonly router: ChatRouter,
    private readonly notify: Notifier,
    private readonly lines: SystemLines,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves after a drain that started after this call has finished, with what that drain assigned. */
  drain(): Promise<DrainResult> {
    if (this.pending) return this.pending;
    const run = this.current
      .then(() => {
        this.pending = undefined;
        return this.drainOnce();
      })
      .catch((error: unknown): DrainResult => {
        this.onError(error);
        return new Map();
      });
    this.pending = run;
    this.current = run;
    return run;
  }

  /**
   * Runs `create`, the unit that creates `chat`, with the seat the routing rule picks for it when
   * it may skip the queue: no other chat is being created on this node (a burst goes through the
   * drain, which spreads many chats over one snapshot of the agents). In the unit,
   * assignArrivingIn() takes the seat unless a queued chat is ahead by then or the agent is full;
   * the chat stays queued for the drain otherwise. Saves the arrival its own assignment unit.
   */
  async arrive<T>(chat: ChatRecord, create: (seat: ArrivalSeat | undefined) => Promise<T>): Promise<T> {
    this.arriving += 1;
    try {
      const plan = this.arriving === 1 ? await this.router.plan([chat]) : undefined;
      const proposal = plan?.proposals[0];
      // Another arrival may have begun while the plan was read: then both go through the drain.
      const seat = plan && proposal && this.arriving === 1 ? { agentId: proposal.agent.userId, agentName: proposal.agent.displayName, now: plan.now, replyDueAt: plan.replyDueAt } : undefined;
      return await create(seat);
    } finally {
      this.arriving -= 1;
    }
  }

  /** The seat of arrive() as a step of the unit that created `chat`, with its "joined" line: announce it with arrived() once committed. */
  async assignArrivingIn(trx: Trx, chat: ChatRecord, seat: ArrivalSeat): Promise<Assigned | undefined> {
    if (!(await this.repos.chats.assignArrivingIn(trx, chat, seat.agentId, seat.now, seat.replyDueAt))) return undefined;
    return { chatId: chat.id, line: await this.joinedIn(trx, chat.id, seat.agentName) };
  }

  /** Announces a chat assigned in the unit that created it; the visitor's view. */
  async arrived(assigned: Assigned): Promise<VisitorChatView | undefined> {
    return (await this.announce([assigned]))[0];
  }

  /** Stores the "joined" line of a chat just assigned to `agentId` and announces both. */
  async assigned(chat: ChatRecord, agentId: string): Promise<void> {
    const agent = await this.repos.agents.find(agentId);
    const line = await this.repos.writes.run((trx) => this.joinedIn(trx, chat.id, agent?.displayName));
    await this.announce([{ chatId: chat.id, line }]);
  }

  private joinedIn(trx: Trx, chatId: string, agentName: string | undefined): Promise<ChatAppendOutcome> {
    return this.lines.storeIn(trx, chatId, chatEvent('agent_joined', { agent: agentName }), true);
  }

  /** The new summaries to the agents and views to the visitors, then each chat's "joined" line; the views sent. */
  private async announce(assigned: readonly Assigned[]): Promise<VisitorChatView[]> {
    return (await this.lines.announceChanged(assigned)).map(({ view }) => view);
  }

  /** The conditional assignment and its "joined" line, one unit of work: the line exists only if the assignment was made. */
  private async assign({ chat, agent }: Proposal, now: number, replyDueAt: number | null): Promise<Assigned | undefined> {
    const made = await attempt(this.repos.writes, async (trx) => {
      await this.repos.chats.assignIn(trx, chat.id, agent.userId, now, replyDueAt);
      return this.joinedIn(trx, chat.id, agent.displayName);
    });
    return made && { chatId: chat.id, line: made.value };
  }

  /**
   * Proposals for a batch of queued chats, then their conditional assignments all at once (on
   * SQLite they share one commit), then the announcements. Proposals the database refused (another
   * node was faster) are routed again in the next pass with a fresh view of the agents.
   */
  private async drainOnce(): Promise<DrainResult> {
    const views = new Map<string, VisitorChatView>();
    let changed = false;
    let emptied = false;
    let refusedPasses = 0;
    for (let pass = 0; pass < MAX_PASSES && refusedPasses < MAX_REFUSED_PASSES; pass += 1) {
      const queued = await this.repos.chats.queued(DRAIN_BATCH);
      // Nobody has room, or nothing waits (the common cases): nothing to try.
      const plan = await this.router.plan(queued);
      if (plan.proposals.length === 0) break;
      const made = await Promise.all(plan.proposals.map((proposal) => this.assign(proposal, plan.now, plan.replyDueAt)));
      const assigned = made.filter((entry) => entry !== undefined);
      if (assigned.length > 0) {
        changed = true;
        for (const view of await this.announce(assigned)) views.set(view.id, view);
      }
      const refused = assigned.length < plan.proposals.length;
      refusedPasses = assigned.length === 0 ? refusedPasses + 1 : 0;
      if (!refused && queued.length < DRAIN_BATCH) {
        emptied = assigned.length === queued.length;
        break;
      }
    }
    // The places of those still waiting moved up; when this drain took every queued chat, nobody waits.
    if (changed && !emptied) await this.notify.queuePositions();
    return views;
  }
}

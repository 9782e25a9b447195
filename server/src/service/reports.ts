import type { ReportQuery, ServiceReport } from '@switchboard/protocol';
import { errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';

const DAY_MS = 86_400_000;
/** Longest range one report covers. */
const MAX_DAYS = 366;

/** Simple reports: chats per day, first response, wait, missed and offline counts, per agent. */
export class ServiceReports {
  constructor(private readonly repos: ServiceRepositories) {}

  async report(query: ReportQuery, now = Date.now()): Promise<ServiceReport> {
    const offsetMs = query.tzOffsetMinutes * 60_000;
    const today = dayOf(now + offsetMs);
    const to = query.to ?? today;
    const from = query.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS);
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
    if (!(start < end)) throw errors.badRequest('"from" must not be after "to".');
    if ((end - start) / DAY_MS > MAX_DAYS) throw errors.badRequest(`A report covers at most ${MAX_DAYS} days.`);

    const [chats, offline, agents] = await Promise.all([
      this.repos.chats.createdBetween(start - offsetMs, end - offsetMs),
      this.repos.offline.createdBetween(start - offsetMs, end - offsetMs),
      this.repos.agents.list(),
    ]);
    const days = new Map<string, { chats: ChatRecord[]; offline: number }>();
    for (let at = start; at < end; at += DAY_MS) days.set(dayOf(at), { chats: [], offline: 0 });
    for (const chat of chats) days.get(dayOf(chat.createdAt + offsetMs))?.chats.push(chat);
    for (const createdAt of offline) {
      const bucket = days.get(dayOf(createdAt + offsetMs));
      if (bucket) bucket.offline += 1;
    }
    const names = new Map(agents.map((agent) => [agent.userId, agent.displayName]));
    const byAgent = new Map<string, ChatRecord[]>();
    for (const chat of chats) {
      if (!chat.assigneeId || chat.firstAssignedAt === null) continue;
      const list = byAgent.get(chat.assigneeId);
      if (list) list.push(chat);
      else byAgent.set(chat.assigneeId, [chat]);
    }
    return {
      from,
      to,
      totals: numbers(chats, offline.length),
      days: [...days].map(([day, bucket]) => ({ day, ...numbers(bucket.chats, bucket.offline) })),
      agents: [...byAgent]
        .map(([agentId, list]) => ({
          agentId,
          displayName: names.get(agentId) ?? 'Unknown agent',
          chats: list.length,
          avgFirstResponseMs: mean(list.map((chat) => (chat.firstResponseAt === null ? null : chat.firstResponseAt - chat.createdAt))),
        }))
        .sort((a, b) => b.chats - a.chats),
    };
  }
}

function numbers(chats: readonly ChatRecord[], offline: number) {
  return {
    chats: chats.length,
    missed: chats.filter((chat) => chat.status === 'closed' && chat.firstAssignedAt === null).length,
    offlineMessages: offline,
    avgFirstResponseMs: mean(chats.map((chat) => (chat.firstResponseAt === null ? null : chat.firstResponseAt - chat.createdAt))),
    avgWaitMs: mean(chats.map((chat) => (chat.firstAssignedAt === null ? null : chat.firstAssignedAt - chat.createdAt))),
  };
}

function mean(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  if (present.length === 0) return null;
  return Math.round(present.reduce((sum, value) => sum + value, 0) / present.length);
}

function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

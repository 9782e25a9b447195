import { sql, type Selectable } from 'kysely';
import type { DutyStatus } from '@switchboard/protocol';
import { prepareQuery } from '../../store/preparedQuery.js';
import type { CsAgentsTable, ServiceDb } from './schema.js';
import { affected } from './util.js';
import type { WriteTransactions } from './writes.js';

export interface AgentRecord {
  userId: string;
  displayName: string;
  dutyStatus: DutyStatus;
  priority: number;
  maxChats: number;
  activeChats: number;
  lastAssignedAt: number;
  dutyChangedAt: number;
  seenAt: number;
}

export const AGENT_DEFAULTS = { priority: 0, maxChats: 5 } as const;

/** A new agent's record: off duty, the default priority and capacity unless given. */
export function newAgentRow(userId: string, displayName: string, now: number, maxChats: number = AGENT_DEFAULTS.maxChats) {
  return {
    user_id: userId,
    display_name: displayName,
    duty_status: 'off' as const,
    priority: AGENT_DEFAULTS.priority,
    max_chats: maxChats,
    active_chats: 0,
    last_assigned_at: 0,
    duty_changed_at: now,
    seen_at: now,
    created_at: now,
    updated_at: now,
  };
}

export interface AgentRepository {
  /** Creates the agent's row with defaults if missing and keeps the display name current. */
  ensure(userId: string, displayName: string, now: number): Promise<AgentRecord>;
  find(userId: string): Promise<AgentRecord | undefined>;
  findMany(userIds: readonly string[]): Promise<AgentRecord[]>;
  list(): Promise<AgentRecord[]>;
  /** Changes the duty if it differs; returns the status before, or undefined when nothing changed. */
  setDuty(userId: string, status: DutyStatus, now: number): Promise<DutyStatus | undefined>;
  update(userId: string, changes: { priority?: number; maxChats?: number }, now: number): Promise<void>;
  departmentsOf(userIds: readonly string[]): Promise<Map<string, string[]>>;
  setDepartments(userId: string, departmentIds: readonly string[]): Promise<void>;
  /**
   * Agents who can take a new chat now: available, below their maximum, in the department if one
   * is given, not excluded. Only a snapshot: the assignment itself re-checks in the database.
   */
  candidates(departmentId: string | null, exclude: readonly string[]): Promise<AgentRecord[]>;
  /**
   * The first `limit` candidates (any department) in the order of `rule`, plus those of `include`
   * who have room: enough to route `limit` chats by that rule without reading every agent.
   */
  firstCandidates(rule: 'round_robin' | 'priority' | 'random', limit: number, include: readonly string[]): Promise<AgentRecord[]>;
  /** True when an agent is on duty (available or away), in the department if one is given. */
  anyOnDuty(departmentId?: string | null): Promise<boolean>;
  /** The node vouches for these connected agents (duty lease). */
  touch(userIds: readonly string[], now: number): Promise<void>;
  /** Like touch(), and records that the agents are connected to `nodeId`. */
  seenOn(nodeId: string, userIds: readonly string[], now: number): Promise<void>;
  /** The agent's last socket on `nodeId` is gone. */
  goneFrom(nodeId: string, userId: string): Promise<void>;
  /** True when another node vouched for the agent since `freshAfter`. */
  onOtherNode(nodeId: string, userId: string, freshAfter: number): Promise<boolean>;
  /** Forgets node records not refreshed since `before` (nodes that died). */
  pruneNodes(before: number): Promise<void>;
  /** On-duty agents whose lease ran out before `before`. */
  lapsed(before: number, limit: number): Promise<string[]>;
}

export function createAgentRepository(db: ServiceDb, writes: WriteTransactions): AgentRepository {
  const byId = prepareQuery(db, 1, (userId: string) => db.selectFrom('cs_agents').selectAll().where('user_id', '=', userId));
  // Asked by every widget hello and chat start (department-less: the common case).
  const someoneOnDuty = prepareQuery(db, 0, () => db.selectFrom('cs_agents').select('user_id').where('duty_status', 'in', ['available', 'away']).limit(1));
  return {
    async ensure(userId, displayName, now) {
      await writes.run(async (trx) => {
        await trx
          .insertInto('cs_agents')
          .values(newAgentRow(userId, displayName, now))
          .onConflict((oc) => oc.column('user_id').doNothing())
          .execute();
        await trx.updateTable('cs_agents').set({ display_name: displayName }).where('user_id', '=', userId).where('display_name', '!=', displayName).execute();
      });
      const agent = await this.find(userId);
      if (!agent) throw new Error('agent row vanished');
      return agent;
    },
    async find(userId) {
      const [row] = await byId(userId);
      return row && toAgent(row);
    },
    async findMany(userIds) {
      if (userIds.length === 0) return [];
      const rows = userIds.length === 1 ? await byId(userIds[0] as string) : await db.selectFrom('cs_agents').selectAll().where('user_id', 'in', [...userIds]).execute();
      return rows.map(toAgent);
    },
    async list() {
      const rows = await db.selectFrom('cs_agents').selectAll().orderBy('display_name').execute();
      return rows.map(toAgent);
    },
    async setDuty(userId, status, now) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const current = await this.find(userId);
        if (!current || current.dutyStatus === status) return undefined;
        const result = await writes.run((trx) =>
          trx
            .updateTable('cs_agents')
            .set({ duty_status: status, duty_changed_at: now, seen_at: now, updated_at: now })
            .where('user_id', '=', userId)
            .where('duty_status', '=', current.dutyStatus)
            .executeTakeFirst(),
        );
        if (affected(result) > 0) return current.dutyStatus;
      }
      return undefined;
    },
    async update(userId, changes, now) {
      await db
        .updateTable('cs_agents')
        .set({
          updated_at: now,
          ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
          ...(changes.maxChats !== undefined ? { max_chats: changes.maxChats } : {}),
        })
        .where('user_id', '=', userId)
        .execute();
    },
    async departmentsOf(userIds) {
      const map = new Map<string, string[]>();
      if (userIds.length === 0) return map;
      const rows = await db.selectFrom('cs_agent_departments').selectAll().where('user_id', 'in', [...userIds]).execute();
      for (const row of rows) {
        const list = map.get(row.user_id);
        if (list) list.push(row.department_id);
        else map.set(row.user_id, [row.department_id]);
      }
      return map;
    },
    async setDepartments(userId, departmentIds) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('cs_agent_departments').where('user_id', '=', userId).execute();
        const unique = [...new Set(departmentIds)];
        if (unique.length > 0) {
          await trx
            .insertInto('cs_agent_departments')
            .values(unique.map((departmentId) => ({ user_id: userId, department_id: departmentId })))
            .execute();
        }
      });
    },
    async candidates(departmentId, exclude) {
      let query = db
        .selectFrom('cs_agents')
        .selectAll('cs_agents')
        .where('cs_agents.duty_status', '=', 'available')
        .whereRef('cs_agents.active_chats', '<', 'cs_agents.max_chats');
      if (departmentId) {
        query = query.where('cs_agents.user_id', 'in', (eb) =>
          eb.selectFrom('cs_agent_departments').select('cs_agent_departments.user_id').where('cs_agent_departments.department_id', '=', departmentId),
        );
      }
      if (exclude.length > 0) query = query.where('cs_agents.user_id', 'not in', [...exclude]);
      const rows = await query.execute();
      return rows.map(toAgent);
    },
    async firstCandidates(rule, limit, include) {
      let query = db.selectFrom('cs_agents').selectAll().where('duty_status', '=', 'available').whereRef('active_chats', '<', 'max_chats');
      query =
        rule === 'random'
          ? query.orderBy(sql`random()`)
          : (rule === 'priority' ? query.orderBy('priority', 'desc') : query).orderBy('last_assigned_at').orderBy('duty_changed_at').orderBy('user_id');
      const first = (await query.limit(limit).execute()).map(toAgent);
      const missing = include.filter((id) => !first.some((agent) => agent.userId === id));
      if (missing.length === 0) return first;
      const extra = await db
        .selectFrom('cs_agents')
        .selectAll()
        .where('user_id', 'in', [...new Set(missing)])
        .where('duty_status', '=', 'available')
        .whereRef('active_chats', '<', 'max_chats')
        .execute();
      return [...first, ...extra.map(toAgent)];
    },
    async anyOnDuty(departmentId) {
      if (!departmentId) return (await someoneOnDuty()).length > 0;
      let query = db.selectFrom('cs_agents').select('cs_agents.user_id').where('cs_agents.duty_status', 'in', ['available', 'away']);
      if (departmentId) {
        query = query.where('cs_agents.user_id', 'in', (eb) =>
          eb.selectFrom('cs_agent_departments').select('cs_agent_departments.user_id').where('cs_agent_departments.department_id', '=', departmentId),
        );
      }
      return (await query.limit(1).executeTakeFirst()) !== undefined;
    },
    async touch(userIds, now) {
      if (userIds.length === 0) return;
      await writes.run((trx) => trx.updateTable('cs_agents').set({ seen_at: now }).where('user_id', 'in', [...userIds]).execute());
    },
    async seenOn(nodeId, userIds, now) {
      if (userIds.length === 0) return;
      await writes.run(async (trx) => {
        await trx
          .insertInto('cs_agent_nodes')
          .values(userIds.map((userId) => ({ agent_id: userId, node_id: nodeId, seen_at: now })))
          .onConflict((oc) => oc.columns(['agent_id', 'node_id']).doUpdateSet({ seen_at: now }))
          .execute();
        await trx.updateTable('cs_agents').set({ seen_at: now }).where('user_id', 'in', [...userIds]).execute();
      });
    },
    async goneFrom(nodeId, userId) {
      await db.deleteFrom('cs_agent_nodes').where('agent_id', '=', userId).where('node_id', '=', nodeId).execute();
    },
    async onOtherNode(nodeId, userId, freshAfter) {
      const row = await db
        .selectFrom('cs_agent_nodes')
        .select('node_id')
        .where('agent_id', '=', userId)
        .where('node_id', '!=', nodeId)
        .where('seen_at', '>=', freshAfter)
        .executeTakeFirst();
      return row !== undefined;
    },
    async pruneNodes(before) {
      await db.deleteFrom('cs_agent_nodes').where('seen_at', '<', before).execute();
    },
    async lapsed(before, limit) {
      const rows = await db
        .selectFrom('cs_agents')
        .select('user_id')
        .where('duty_status', '!=', 'off')
        .where('seen_at', '<', before)
        .limit(limit)
        .execute();
      return rows.map((row) => row.user_id);
    },
  };
}

export function toAgent(row: Selectable<CsAgentsTable>): AgentRecord {
  return {
    userId: row.user_id,
    displayName: row.display_name,
    dutyStatus: row.duty_status as DutyStatus,
    priority: row.priority,
    maxChats: row.max_chats,
    activeChats: row.active_chats,
    lastAssignedAt: row.last_assigned_at,
    dutyChangedAt: row.duty_changed_at,
    seenAt: row.seen_at,
  };
}

import { randomUUID } from 'node:crypto';
import type { Department, ServiceAgent, ServiceSettings, UpdateServiceAgentRequest, UpdateServiceSettingsRequest } from '@switchboard/protocol';
import { errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import { AGENT_DEFAULTS } from './store/agents.js';
import { isUniqueViolation } from './store/util.js';
import type { ChatQueue } from './queue.js';
import type { Sites } from './sites.js';

/** An IM user with the agent role, as the gateway passes it in (the CS system has no user table). */
export interface AgentUser {
  id: string;
  username: string;
  displayName: string;
}

/** Routing settings, agents' capacities and departments (permission admin.service). */
export class ServiceAdmin {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly queue: ChatQueue,
    private readonly sites: Sites,
    private readonly now: () => number,
  ) {}

  async settings(): Promise<ServiceSettings> {
    const settings = await this.repos.settings.get();
    return { routingRule: settings.routingRule, replyTimeoutSeconds: settings.replyTimeoutMs / 1000 };
  }

  async updateSettings(request: UpdateServiceSettingsRequest): Promise<ServiceSettings> {
    await this.repos.settings.update(
      {
        ...(request.routingRule !== undefined ? { routingRule: request.routingRule } : {}),
        ...(request.replyTimeoutSeconds !== undefined ? { replyTimeoutMs: Math.round(request.replyTimeoutSeconds * 1000) } : {}),
      },
      this.now(),
    );
    return this.settings();
  }

  /** Every user with the agent role, with their CS settings (defaults until they first go on duty). */
  async agents(users: readonly AgentUser[]): Promise<ServiceAgent[]> {
    const ids = users.map((user) => user.id);
    const [rows, departments] = await Promise.all([this.repos.agents.findMany(ids), this.repos.agents.departmentsOf(ids)]);
    const byId = new Map(rows.map((row) => [row.userId, row]));
    return users.map((user) => {
      const row = byId.get(user.id);
      return {
        userId: user.id,
        username: user.username,
        displayName: user.displayName,
        dutyStatus: row?.dutyStatus ?? 'off',
        priority: row?.priority ?? AGENT_DEFAULTS.priority,
        maxChats: row?.maxChats ?? AGENT_DEFAULTS.maxChats,
        activeChats: row?.activeChats ?? 0,
        departmentIds: departments.get(user.id) ?? [],
      };
    });
  }

  async updateAgent(user: AgentUser, request: UpdateServiceAgentRequest): Promise<ServiceAgent> {
    await this.repos.agents.ensure(user.id, user.displayName, this.now());
    if (request.departmentIds) {
      const unique = [...new Set(request.departmentIds)];
      const known = await this.repos.departments.existing(unique);
      if (known.length !== unique.length) throw errors.notFound('Department');
      await this.repos.agents.setDepartments(user.id, unique);
    }
    await this.repos.agents.update(user.id, { ...(request.priority !== undefined ? { priority: request.priority } : {}), ...(request.maxChats !== undefined ? { maxChats: request.maxChats } : {}) }, this.now());
    // More room or another department may let waiting visitors in.
    await this.queue.drain();
    const [agent] = await this.agents([user]);
    if (!agent) throw errors.notFound('Agent');
    return agent;
  }

  departments(): Promise<Department[]> {
    return this.repos.departments.list();
  }

  async createDepartment(name: string): Promise<Department> {
    const department = { id: randomUUID(), name };
    try {
      await this.repos.departments.create(department, this.now());
    } catch (error) {
      if (isUniqueViolation(error)) throw errors.conflict(`A department called "${name}" exists.`);
      throw error;
    }
    this.sites.forgetDepartments();
    return department;
  }

  async renameDepartment(id: string, name: string): Promise<Department> {
    try {
      if (!(await this.repos.departments.rename(id, name))) throw errors.notFound('Department');
    } catch (error) {
      if (isUniqueViolation(error)) throw errors.conflict(`A department called "${name}" exists.`);
      throw error;
    }
    this.sites.forgetDepartments();
    return { id, name };
  }

  async deleteDepartment(id: string): Promise<void> {
    if (!(await this.repos.departments.delete(id))) throw errors.notFound('Department');
    this.sites.forgetDepartments();
    await this.queue.drain();
  }
}

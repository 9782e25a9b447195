import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  CreateSiteRequest,
  DepartmentRequest,
  EntityId,
  OfflineMessagesQuery,
  ReportQuery,
  UpdateOfflineMessageRequest,
  UpdateServiceAgentRequest,
  UpdateServiceSettingsRequest,
  UpdateSiteRequest,
} from '@switchboard/protocol';
import { errors } from '../../../errors.js';
import type { ImServer } from '../../../im/index.js';
import type { ServiceSystem } from '../../../service/index.js';
import { authOf, type Guards } from '../session.js';
import { validate } from '../validate.js';
import { agentUsers } from './service.js';

const IdParams = z.object({ id: EntityId });

/** The admin console's customer-service routes (permission admin.service). Changes are audited. */
export function serviceAdminRoutes(app: FastifyInstance, service: ServiceSystem, im: ImServer, guards: Guards): void {
  const read = { preHandler: [guards.authenticate, guards.requirePermission('admin.service')] };
  const write = { preHandler: [guards.csrf, guards.authenticate, guards.requirePermission('admin.service')] };
  const audit = (actorId: string, action: string, target: string | null, detail?: Record<string, unknown>) =>
    im.repos.audit.record({ actorId, action, target, ...(detail ? { detail } : {}) }, Date.now());

  app.get('/api/admin/service/settings', read, async () => ({ settings: await service.admin.settings() }));
  app.patch('/api/admin/service/settings', write, async (request) => {
    const body = validate(UpdateServiceSettingsRequest, request.body);
    const settings = await service.admin.updateSettings(body);
    await audit(authOf(request).user.id, 'service.settings', null, body);
    return { settings };
  });

  app.get('/api/admin/service/agents', read, async () => ({ agents: await service.admin.agents(await agentUsers(im)) }));
  app.patch('/api/admin/service/agents/:id', write, async (request) => {
    const { id } = validate(IdParams, request.params);
    const body = validate(UpdateServiceAgentRequest, request.body);
    const user = (await agentUsers(im)).find((candidate) => candidate.id === id);
    if (!user) throw errors.notFound('Agent');
    const agent = await service.admin.updateAgent(user, body);
    await audit(authOf(request).user.id, 'service.agent', user.username, body);
    return { agent };
  });

  app.get('/api/admin/service/departments', read, async () => ({ departments: await service.admin.departments() }));
  app.post('/api/admin/service/departments', write, async (request, reply) => {
    const body = validate(DepartmentRequest, request.body);
    const department = await service.admin.createDepartment(body.name);
    await audit(authOf(request).user.id, 'service.department.created', department.name);
    return reply.code(201).send({ department });
  });
  app.patch('/api/admin/service/departments/:id', write, async (request) => {
    const { id } = validate(IdParams, request.params);
    const body = validate(DepartmentRequest, request.body);
    const department = await service.admin.renameDepartment(id, body.name);
    await audit(authOf(request).user.id, 'service.department.renamed', department.name);
    return { department };
  });
  app.delete('/api/admin/service/departments/:id', write, async (request, reply) => {
    const { id } = validate(IdParams, request.params);
    await service.admin.deleteDepartment(id);
    await audit(authOf(request).user.id, 'service.department.deleted', id);
    return reply.code(204).send();
  });

  app.get('/api/admin/service/sites', read, async () => ({ sites: await service.sites.list() }));
  app.post('/api/admin/service/sites', write, async (request, reply) => {
    const body = validate(CreateSiteRequest, request.body);
    const site = await service.sites.create(body);
    await audit(authOf(request).user.id, 'service.site.created', site.siteKey);
    return reply.code(201).send({ site });
  });
  app.patch('/api/admin/service/sites/:id', write, async (request) => {
    const { id } = validate(IdParams, request.params);
    const body = validate(UpdateSiteRequest, request.body);
    const site = await service.sites.update(id, body);
    await audit(authOf(request).user.id, 'service.site.updated', site.siteKey, { changed: Object.keys(body) });
    return { site };
  });
  app.delete('/api/admin/service/sites/:id', write, async (request, reply) => {
    const { id } = validate(IdParams, request.params);
    await service.sites.remove(id);
    await audit(authOf(request).user.id, 'service.site.deleted', id);
    return reply.code(204).send();
  });

  app.get('/api/admin/service/offline', read, async (request) => {
    const query = validate(OfflineMessagesQuery, request.query);
    return service.offline.list(query.status, query.before, query.limit);
  });
  app.patch('/api/admin/service/offline/:id', write, async (request) => {
    const { id } = validate(IdParams, request.params);
    const body = validate(UpdateOfflineMessageRequest, request.body);
    return { message: await service.offline.setHandled(id, body.handled, authOf(request).user.id) };
  });

  app.get('/api/admin/service/reports', read, async (request) => {
    const query = validate(ReportQuery, request.query);
    return { report: await service.reports.report(query) };
  });
}

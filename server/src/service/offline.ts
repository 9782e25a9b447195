import { randomUUID } from 'node:crypto';
import type { OfflineMessage } from '@switchboard/protocol';
import { errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';

export interface OfflineForm {
  siteId: string;
  visitorId: string | null;
  name: string;
  email: string;
  message: string;
  departmentId?: string | undefined;
  pageUrl?: string | null | undefined;
}

/** "Leave a message" when nobody is on duty, and the admins' inbox of those messages. */
export class OfflineMessages {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly now: () => number,
  ) {}

  async leave(form: OfflineForm): Promise<OfflineMessage> {
    const departmentId = form.departmentId && (await this.repos.departments.find(form.departmentId)) ? form.departmentId : null;
    const message: OfflineMessage = {
      id: randomUUID(),
      siteId: form.siteId,
      departmentId,
      visitorId: form.visitorId,
      name: form.name,
      email: form.email,
      message: form.message,
      pageUrl: form.pageUrl ?? null,
      createdAt: this.now(),
      handledAt: null,
      handledBy: null,
    };
    await this.repos.offline.create(message);
    if (form.visitorId) await this.repos.visitors.update(form.visitorId, { name: form.name, email: form.email });
    return message;
  }

  list(status: 'open' | 'handled' | 'all', before: number | undefined, limit: number) {
    return this.repos.offline.list(status, before, limit);
  }

  async setHandled(id: string, handled: boolean, by: string): Promise<OfflineMessage> {
    const message = await this.repos.offline.setHandled(id, handled ? by : null, handled ? this.now() : null);
    if (!message) throw errors.notFound('Message');
    return message;
  }
}

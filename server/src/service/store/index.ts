import type { Kysely } from 'kysely';
import type { Store } from '../../store/index.js';
import { createAgentRepository, type AgentRepository } from './agents.js';
import { createChatMessageRepository, type ChatMessageRepository } from './messages.js';
import { createChatRepository, type ChatRepository } from './chats.js';
import { createDepartmentRepository, type DepartmentRepository } from './departments.js';
import { createOfflineRepository, type OfflineRepository } from './offline.js';
import type { ServiceDatabase } from './schema.js';
import { createSettingsRepository, type SettingsRepository } from './settings.js';
import { createSiteRepository, type SiteRepository } from './sites.js';
import { createVisitorRepository, type VisitorRepository } from './visitors.js';
import { createWriteTransactions, type WriteTransactions } from './writes.js';

/** The customer-service system's repositories, on its own cs_ tables. */
export interface ServiceRepositories {
  settings: SettingsRepository;
  agents: AgentRepository;
  departments: DepartmentRepository;
  sites: SiteRepository;
  visitors: VisitorRepository;
  chats: ChatRepository;
  messages: ChatMessageRepository;
  offline: OfflineRepository;
  /** For a unit of work that spans repositories (their `…In(trx, …)` steps): a change and the system line telling of it. */
  writes: WriteTransactions;
}

/** On the store's connection; the CS system sees only its own tables through it. */
export function createServiceRepositories(store: Store): ServiceRepositories {
  const serviceDb = store.db as unknown as Kysely<ServiceDatabase>;
  const writes = createWriteTransactions(serviceDb, store);
  return {
    settings: createSettingsRepository(serviceDb),
    agents: createAgentRepository(serviceDb, writes),
    departments: createDepartmentRepository(serviceDb),
    sites: createSiteRepository(serviceDb),
    visitors: createVisitorRepository(serviceDb, writes),
    chats: createChatRepository(serviceDb, writes),
    messages: createChatMessageRepository(serviceDb, writes),
    offline: createOfflineRepository(serviceDb),
    writes,
  };
}

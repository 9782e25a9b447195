import type { Store } from './db.js';
import { createAuditRepository, type AuditRepository } from './repositories/audit.js';
import { createConversationRepository, type ConversationRepository } from './repositories/conversations.js';
import { createMessageRepository, type MessageRepository } from './repositories/messages.js';
import { createSessionRepository, type SessionRepository } from './repositories/sessions.js';
import { createUserRepository, type UserRepository } from './repositories/users.js';

export { openStore, type Store, type Dialect } from './db.js';

/** The IM server's repositories, all on one store. */
export interface ImRepositories {
  users: UserRepository;
  sessions: SessionRepository;
  conversations: ConversationRepository;
  messages: MessageRepository;
  audit: AuditRepository;
}

export function createImRepositories(store: Store): ImRepositories {
  return {
    users: createUserRepository(store.db),
    sessions: createSessionRepository(store.db),
    conversations: createConversationRepository(store.db, store.dialect, () => store.sqlite?.durable() ?? Promise.resolve()),
    messages: createMessageRepository(store),
    audit: createAuditRepository(store.db),
  };
}

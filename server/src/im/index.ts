import type { Bus } from '../bus/bus.js';
import type { ImRepositories } from '../store/index.js';
import { AccountService } from './accounts.js';
import { AuthService } from './auth.js';
import { ConversationService } from './conversations.js';
import { MemberCache } from './memberCache.js';
import { MessageSender } from './messageSender.js';
import { PresenceService } from './presence.js';

/** The IM server's commands, wired to one store and one bus. */
export interface ImServer {
  repos: ImRepositories;
  auth: AuthService;
  accounts: AccountService;
  conversations: ConversationService;
  sender: MessageSender;
  presence: PresenceService;
}

export function createImServer(repos: ImRepositories, bus: Bus, options: { sessionTtlMs: number; nodeId: string; onError: (error: unknown) => void }): ImServer {
  const auth = new AuthService(repos, bus, options.sessionTtlMs);
  return {
    repos,
    auth,
    accounts: new AccountService(repos, auth, bus),
    conversations: new ConversationService(repos, bus, new MemberCache(repos.conversations)),
    sender: new MessageSender(repos, bus, options.onError),
    presence: new PresenceService(bus, options.nodeId),
  };
}

import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import type { Notifier } from './notify.js';

/** System lines in a chat, stored like any message (they get a sequence number) and then announced. */
export class SystemLines {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly notify: Notifier,
    private readonly now: () => number,
  ) {}

  /** `visible`: false for lines only agents see (invites, "visitor left"). */
  async post(chat: ChatRecord, body: string, visible: boolean): Promise<void> {
    const outcome = await this.repos.messages.append(
      { chatId: chat.id, author: 'system', agentId: null, authorName: null, senderKey: null, clientId: null, body, visible },
      this.now(),
      { allowClosed: true },
    );
    if (outcome.status === 'stored') await this.notify.message(chat, outcome.message);
  }
}

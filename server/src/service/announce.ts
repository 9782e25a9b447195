import type { ChatEvent, ChatEventCode } from '@switchboard/protocol';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import type { ChatAppendOutcome } from './store/messages.js';
import type { Trx } from './store/writes.js';
import type { AnnouncedChat, Notifier } from './notify.js';

type Params = Readonly<Record<string, string>>;

/**
 * The English text of each system line, stored as the message body: what clients that do not know
 * an event code show, and what transcript search matches. Clients render `event` in their own
 * language with the same wording in English.
 */
const ENGLISH: Record<ChatEventCode, (p: Params) => string> = {
  agent_joined: (p) => `${p.agent ?? 'An agent'} joined the chat.`,
  agent_unavailable: (p) => `${p.agent ?? 'The agent'} is no longer available. Connecting you to another agent…`,
  agent_left: (p) => `${p.agent ?? 'The agent'} left the chat.`,
  agent_left_off_duty: (p) => `${p.agent ?? 'The agent'} left the chat (off duty).`,
  agent_invited: (p) => `${p.agent ?? 'An agent'} invited ${p.colleague ?? 'a colleague'}.`,
  help_requested: (p) => `${p.agent ?? 'An agent'} asked ${p.colleague ?? 'a colleague'} for help.`,
  transferred_agent: (p) => `Transferred to ${p.agent ?? 'another agent'}.`,
  transferred_department: (p) => `Transferred to ${p.department ?? 'another department'}.`,
  chat_closed_by_visitor: () => 'The visitor ended the chat.',
  chat_closed_by_agent: (p) => `${p.agent ?? 'The agent'} ended the chat.`,
  chat_closed_abandoned: () => 'The chat was closed: the visitor left.',
  chat_closed_missed: () => 'The visitor left before an agent was free.',
  visitor_left: () => 'The visitor left the page.',
  visitor_returned: () => 'The visitor is back.',
};

/** A system line's event; params whose value is unknown (null/undefined) are left out. */
export function chatEvent(code: ChatEventCode, params: Readonly<Record<string, string | null | undefined>> = {}): ChatEvent {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value != null) kept[key] = value;
  return { code, params: kept };
}

export function englishLine(event: ChatEvent): string {
  return ENGLISH[event.code](event.params);
}

/**
 * System lines in a chat, stored like any message (they get a sequence number) and then announced.
 * A line that tells of a change of the chat (joined, closed) is stored in the unit of work that
 * makes the change: one commit for both, and no line for a change that did not happen.
 */
export class SystemLines {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly notify: Notifier,
    private readonly now: () => number,
  ) {}

  /** `visible`: false for lines only agents see (invites, "visitor left"); `agentIds`: the agents in the chat, when known. */
  async post(chat: ChatRecord, event: ChatEvent, visible: boolean, agentIds?: readonly string[]): Promise<void> {
    await this.announce(chat, await this.repos.writes.run((trx) => this.storeIn(trx, chat.id, event, visible)), agentIds);
  }

  /** Stores the line as a step of the caller's unit of work; announce() it once that unit is committed. */
  storeIn(trx: Trx, chatId: string, event: ChatEvent, visible: boolean): Promise<ChatAppendOutcome> {
    return this.repos.messages.appendIn(
      trx,
      { chatId, author: 'system', agentId: null, authorName: null, senderKey: null, clientId: null, body: englishLine(event), event, visible },
      this.now(),
      { allowClosed: true },
    );
  }

  async announce(chat: ChatRecord, outcome: ChatAppendOutcome, agentIds?: readonly string[]): Promise<void> {
    if (outcome.status === 'stored') await this.notify.message(chat, outcome.message, agentIds);
  }

  /**
   * Announces chats whose change was stored together with the line telling of it: each chat as it
   * was right before its line, then the line, the frames agents got when the line was stored after
   * the change (a new chat's summary shows the visitor's opening words, which a desk notifies with).
   */
  async announceChanged(changed: readonly { chatId: string; line: ChatAppendOutcome }[]): Promise<AnnouncedChat[]> {
    const lineOf = new Map(changed.map(({ chatId, line }) => [chatId, line]));
    const found = new Map((await this.repos.chats.findMany([...lineOf.keys()])).map((chat) => [chat.id, chat]));
    const chats = changed.flatMap(({ chatId, line }) => {
      const chat = found.get(chatId);
      return chat ? [beforeLine(chat, line)] : [];
    });
    const announced = await this.notify.announce(chats);
    await Promise.all(announced.map(({ chat, agentIds }) => this.announce(chat, lineOf.get(chat.id) as ChatAppendOutcome, agentIds)));
    return announced;
  }
}

/** The chat as it was before `line` was stored, if nothing came after it. */
function beforeLine(chat: ChatRecord, line: ChatAppendOutcome): ChatRecord {
  return line.status === 'stored' && chat.lastSeq === line.message.seq ? { ...chat, lastSeq: chat.lastSeq - 1 } : chat;
}

import type { ChatMessage, ServerFrameOf, VisitorChatView, WidgetConfig } from '../shared/protocol.js';
import { systemText, type Translate } from './i18n.js';
import { Outbox } from './outbox.js';

/*
 * The visitor's chat as data, fed by server frames. No DOM, no socket: the controller feeds it and
 * the view renders `timeline()`. Unit-tested on its own.
 */

export type Phase =
  /** No config yet (first connect). */
  | 'connecting'
  /** No chat: greeting, pre-chat form or composer. */
  | 'intro'
  /** A chat is starting or open. */
  | 'chat'
  /** The chat was ended: transcript and "Start a new chat". */
  | 'closed'
  /** Nobody on duty: the leave-a-message form. */
  | 'offline'
  /** The offline message was received. */
  | 'offline-sent';

export interface TimelineItem {
  /** Stable key for DOM reuse: `c:<clientId>` for the visitor's messages (pending or sent), else the message id. */
  key: string;
  author: 'visitor' | 'agent' | 'system';
  text: string;
  /** Agent's display name on agent items. */
  name: string | null;
  time: number | null;
  status: 'sent' | 'sending' | 'failed';
  seq: number | null;
  clientId: string | null;
}

const isClosed = (chat: VisitorChatView | null): boolean => chat !== null && (chat.closed || chat.status === 'closed');

export class ChatModel {
  config: WidgetConfig | null = null;
  chat: VisitorChatView | null = null;
  phase: Phase = 'connecting';
  /** A v.start was sent (or is waiting for a connection) and no chat exists yet. */
  starting = false;
  agentTyping = false;
  /** Email the offline message was left with, for the thank-you text. */
  offlineEmail = '';
  readonly outbox: Outbox;
  private readonly messages = new Map<string, ChatMessage>();

  constructor(outbox: Outbox = new Outbox()) {
    this.outbox = outbox;
  }

  /** Applies config from the loader's HTTP fetch, before the socket said anything. */
  preload(config: WidgetConfig): void {
    this.config = config;
    if (this.phase === 'connecting') this.phase = this.idlePhase();
  }

  get chatOpen(): boolean {
    return this.chat !== null && !isClosed(this.chat);
  }

  get lastSeq(): number {
    let last = 0;
    for (const message of this.messages.values()) if (message.seq > last) last = message.seq;
    return last;
  }

  /** Agent messages after `readSeq`: the launcher's unread badge. */
  unreadAfter(readSeq: number): number {
    let count = 0;
    for (const message of this.messages.values()) if (message.author === 'agent' && message.seq > readSeq) count += 1;
    return count;
  }

  private idlePhase(): Phase {
    return this.config?.online === false ? 'offline' : 'intro';
  }

  /**
   * The server's full picture after (re)connecting. Returns what the controller must send again:
   * `restart` when a chat was being started and the server has none; the outbox entries to resend
   * are the pending ones `outbox.reconcile` left.
   */
  welcome(frame: ServerFrameOf<'v.welcome'>): { restart: boolean } {
    this.config = frame.config;
    const previous = this.chat;
    this.chat = frame.chat;
    this.messages.clear();
    for (const message of frame.messages) this.addMessage(message);
    this.outbox.reconcile(frame.messages);
    if (previous && frame.chat?.id !== previous.id) this.agentTyping = false;
    let restart = false;
    if (this.chatOpen) {
      this.starting = false;
      this.phase = 'chat';
    } else if (isClosed(this.chat)) {
      this.starting = false;
      this.outbox.failAll();
      this.phase = 'closed';
    } else if (this.starting) {
      restart = true;
      this.phase = 'chat';
    } else if (this.phase !== 'offline-sent') {
      this.phase = this.idlePhase();
    }
    return { restart };
  }

  /**
   * v.chat: status, queue position or agent changed. "Alice joined the chat" and "… ended the
   * chat" are system messages the server stores and sends (v.message), not lines made up here.
   */
  chatChanged(chat: VisitorChatView): void {
    // A different chat (a new one started): the old transcript goes.
    if (this.chat && this.chat.id !== chat.id) this.messages.clear();
    this.chat = chat;
    if (isClosed(chat)) {
      this.starting = false;
      this.agentTyping = false;
      this.outbox.failAll();
      this.phase = 'closed';
    } else {
      this.starting = false;
      this.phase = 'chat';
    }
  }

  private addMessage(message: ChatMessage): boolean {
    // Internal notes are for agents only; the server never sends them, and the widget never shows one.
    if (message.author === 'note') return false;
    const isNew = !this.messages.has(message.id);
    this.messages.set(message.id, message);
    return isNew;
  }

  /** v.message. Returns true for a new agent message (for the unread badge and sound). */
  message(message: ChatMessage): boolean {
    // A message of another chat (should not happen): ignore rather than mix transcripts.
    if (this.chat && message.chatId !== this.chat.id) return false;
    if (message.clientId) this.outbox.ack(message.clientId);
    const isNew = this.addMessage(message);
    if (message.author === 'agent') this.agentTyping = false;
    return isNew && message.author === 'agent';
  }

  /** v.ack: our message was committed. If its v.message did not come (yet), show it from the outbox. */
  ack(frame: ServerFrameOf<'v.ack'>): void {
    const entry = this.outbox.ack(frame.clientId);
    if (!entry || this.messages.has(frame.messageId)) return;
    this.addMessage({
      id: frame.messageId,
      chatId: this.chat?.id ?? '',
      seq: frame.seq,
      author: 'visitor',
      agentId: null,
      authorName: null,
      clientId: frame.clientId,
      body: entry.body,
      createdAt: entry.createdAt,
    });
  }

  /** The visitor starts over after a closed chat. */
  reset(): void {
    this.chat = null;
    this.messages.clear();
    this.outbox.clear();
    this.starting = false;
    this.agentTyping = false;
    this.phase = this.idlePhase();
  }

  timeline(t: Translate): TimelineItem[] {
    type Sortable = TimelineItem & { order: [number, number] };
    const items: Sortable[] = [];
    for (const message of this.messages.values()) {
      if (message.author === 'note') continue;
      items.push({
        // Keyed by client id when there is one, so a pending bubble becomes the sent one in place.
        key: message.clientId ? `c:${message.clientId}` : message.id,
        author: message.author,
        text: message.author === 'system' ? systemText(message, t) : message.body,
        name: message.author === 'agent' ? message.authorName || t('chat.agent') : null,
        time: message.createdAt,
        status: 'sent',
        seq: message.seq,
        clientId: message.clientId,
        order: [message.seq, 0],
      });
    }
    for (const entry of this.outbox.list()) {
      items.push({
        key: `c:${entry.clientId}`,
        author: 'visitor',
        text: entry.body,
        name: null,
        time: entry.createdAt,
        status: entry.state === 'failed' ? 'failed' : 'sending',
        seq: null,
        clientId: entry.clientId,
        order: [Number.MAX_SAFE_INTEGER, entry.createdAt],
      });
    }
    items.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    return items.map(({ order: _order, ...item }) => item);
  }
}

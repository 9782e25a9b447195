import type { ChatMessage, ServerFrameOf, VisitorChatView, WidgetConfig } from '../shared/protocol.js';
import type { MessageKey, Translate } from './i18n.js';
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
  /** Stable key for DOM reuse: message id, `c:<clientId>` while pending, `l:<n>` for local lines. */
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

interface LocalLine {
  n: number;
  /** Seq of the last message when the line was added: it sorts after that message. */
  after: number;
  key: MessageKey;
  values?: Record<string, string>;
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
  private lines: LocalLine[] = [];
  private lineCounter = 0;

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
    if (previous && frame.chat && previous.id === frame.chat.id) this.noteTransition(previous, frame.chat);
    else if (!frame.chat || frame.chat.id !== previous?.id) this.lines = [];
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

  /** v.chat: status, queue position or agent changed. */
  chatChanged(chat: VisitorChatView): void {
    const previous = this.chat && this.chat.id === chat.id ? this.chat : null;
    if (!previous && this.chat && this.chat.id !== chat.id) {
      // A different chat (a new one started): the old transcript goes.
      this.messages.clear();
      this.lines = [];
    }
    this.chat = chat;
    this.noteTransition(previous, chat);
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

  /** Local system lines for what v.chat tells: an agent joined, the chat ended. */
  private noteTransition(previous: VisitorChatView | null, next: VisitorChatView): void {
    const wasClosed = isClosed(previous);
    if (!isClosed(next) && next.status === 'assigned' && next.agentName && (previous?.status !== 'assigned' || previous.agentName !== next.agentName)) {
      this.addLine('chat.joined', { name: next.agentName });
    }
    if (isClosed(next) && !wasClosed && previous !== null) this.addLine('chat.ended');
  }

  private addLine(key: MessageKey, values?: Record<string, string>): void {
    this.lineCounter += 1;
    this.lines.push({ n: this.lineCounter, after: this.lastSeq, key, values });
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
    this.lines = [];
    this.outbox.clear();
    this.starting = false;
    this.agentTyping = false;
    this.phase = this.idlePhase();
  }

  timeline(t: Translate): TimelineItem[] {
    type Sortable = TimelineItem & { order: [number, number, number] };
    const items: Sortable[] = [];
    for (const message of this.messages.values()) {
      if (message.author === 'note') continue;
      items.push({
        // Keyed by client id when there is one, so a pending bubble becomes the sent one in place.
        key: message.clientId ? `c:${message.clientId}` : message.id,
        author: message.author,
        text: message.body,
        name: message.author === 'agent' ? message.authorName || t('chat.agent') : null,
        time: message.createdAt,
        status: 'sent',
        seq: message.seq,
        clientId: message.clientId,
        order: [message.seq, 0, 0],
      });
    }
    for (const line of this.lines) {
      items.push({ key: `l:${line.n}`, author: 'system', text: t(line.key, line.values), name: null, time: null, status: 'sent', seq: null, clientId: null, order: [line.after, 1, line.n] });
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
        order: [Number.MAX_SAFE_INTEGER, 2, entry.createdAt],
      });
    }
    items.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
    return items.map(({ order: _order, ...item }) => item);
  }
}

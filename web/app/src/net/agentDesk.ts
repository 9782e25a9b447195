import { createContext, useContext } from 'react';
import { newClientId, type ChatMessage, type ChatSummary, type DutyStatus } from '@switchboard/protocol';
import { ClientError, type RequestFrame, type SwitchboardClient } from '@switchboard/client';
import type { MessageKey } from '../i18n/en.js';
import type { Translate } from '../i18n/translate.js';
import { goTo } from '../hooks/useHashRoute.js';
import { toFailure } from '../lib/errors.js';
import { showToast } from '../lib/toasts.js';
import type { Store } from '../state/store.js';
import { totalVisitorUnread, visitorLabel } from '../state/serviceSelectors.js';
import type { VisitorOutgoing } from '../state/types.js';
import { askNotificationPermission, desktopNotify, pageHidden, ring, unlockAudio } from './alerts.js';
import type { ApiPort } from './ports.js';
import type { ServiceApiPort } from './serviceApi.js';

/** Messages per history page of a visitor chat. */
export const VISITOR_PAGE_SIZE = 100;
/** While something is unseen, the chime repeats this often ("rings until the agent looks"). */
export const RING_REPEAT_MS = 10_000;
/** `visitor.typing start` goes out at most this often per chat. */
const TYPING_THROTTLE_MS = 3_000;
/** Closed chats of the agent from this far back fill "Recent" after a reload. */
const RECENT_WINDOW_MS = 24 * 3600_000;
const READ_MARKS_KEPT = 300;

export type TransferTarget = { kind: 'agent'; agentId: string } | { kind: 'department'; departmentId: string };

/** What the UI can ask of customer service (implemented by AgentDesk). */
export interface ServiceActions {
  readonly api: ServiceApiPort;
  /** Sends `duty.set`; the `duty` frame that follows updates the state. */
  setDuty(status: DutyStatus): Promise<void>;
  /** The chat on screen (null: none). Loads its summary and newest messages when needed. */
  view(chatId: string | null): void;
  /** Fetches a chat's summary (a chat opened from a link or a transcript). */
  loadChat(chatId: string): Promise<void>;
  loadNewest(chatId: string): void;
  loadOlder(chatId: string): void;
  send(chatId: string, body: string, note: boolean): void;
  retry(chatId: string, clientId: string): void;
  discard(chatId: string, clientId: string): void;
  typing(chatId: string, state: 'start' | 'stop'): void;
  /** The agent has looked at the chat up to `seq`. */
  markSeen(chatId: string, seq: number): void;
  close(chatId: string): Promise<void>;
  transfer(chatId: string, to: TransferTarget): Promise<void>;
  invite(chatId: string, agentId: string): Promise<void>;
  /** Asks a colleague over IM; resolves to the IM conversation holding the request. */
  ask(chatId: string, userId: string, note: string): Promise<string>;
  dismissRecent(chatIds: readonly string[]): void;
}

export const ServiceActionsContext = createContext<ServiceActions | null>(null);

export function useServiceActions(): ServiceActions {
  const actions = useContext(ServiceActionsContext);
  if (!actions) throw new Error('useServiceActions must be used inside <ServiceActionsContext.Provider>');
  return actions;
}

export interface AgentDeskOptions {
  store: Store;
  api: ApiPort;
  serviceApi: ServiceApiPort;
  /** The current translation (for toasts and desktop notifications). */
  translate: () => Translate;
}

/**
 * The agent's side of customer service in the IM client (patent steps c-f): maps the CS frames the
 * IM server relays (`duty`, `visitor.*`) onto the store, sends the agent's frames with the SDK's
 * `request()`, loads chats over /api/service, and rings when a visitor needs the agent.
 */
export class AgentDesk implements ServiceActions {
  readonly #options: AgentDeskOptions;
  #client: SwitchboardClient | null = null;
  #unsubscribers: (() => void)[] = [];
  #welcomed = false;
  #viewing: string | null = null;
  /** Chats that arrived (assigned or transferred to the agent) and were not opened yet. */
  readonly #unseenArrivals = new Set<string>();
  readonly #typingSentAt = new Map<string, number>();
  #ringTimer = 0;
  #lastRing = 0;
  #saveTimer = 0;
  /** This tab asked for `off`: the `duty` frame that follows needs no explanation. */
  #offRequested = false;
  readonly #attachedAt = Date.now();

  constructor(options: AgentDeskOptions) {
    this.#options = options;
    this.#store.dispatch({ type: 'service.readMarks', marks: this.#loadReadMarks() });
  }

  get api(): ServiceApiPort {
    return this.#options.serviceApi;
  }

  get #store(): Store {
    return this.#options.store;
  }

  get #isAgent(): boolean {
    return this.#store.getState().permissions.includes('cs.agent');
  }

  get #t(): Translate {
    return this.#options.translate();
  }

  attach(client: SwitchboardClient): void {
    this.#client = client;
    const { dispatch } = this.#store;
    this.#unsubscribers.push(
      client.on('welcome', () => this.#onWelcome()),
      client.on('duty', (frame) => this.#onDuty(frame.status, frame.reason)),
      client.on('visitor.chat', ({ chat }) => this.#onChat(chat)),
      client.on('visitor.chat.removed', ({ chatId, reason }) => this.#onRemoved(chatId, reason)),
      client.on('visitor.message', ({ message }) => this.#onMessage(message)),
      client.on('visitor.typing', (frame) => dispatch({ type: 'service.typing', chatId: frame.chatId, state: frame.state, now: Date.now() })),
    );
    this.#ringTimer = window.setInterval(() => this.#ringAgain(), RING_REPEAT_MS);
    // After a reload nobody clicked "Yes": the chime becomes audible at the first key or click.
    if (this.#isAgent) unlockAudio();
  }

  detach(): void {
    for (const unsubscribe of this.#unsubscribers.splice(0)) unsubscribe();
    window.clearInterval(this.#ringTimer);
    this.#saveReadMarks();
    this.#client = null;
  }

  // ——— server frames ———

  #onWelcome(): void {
    if (!this.#isAgent) return;
    const reconnected = this.#welcomed;
    this.#welcomed = true;
    if (reconnected) void this.#reconcile();
    else void this.#loadRecent();
    this.#resendRetryable();
  }

  #onDuty(status: DutyStatus, reason: string | undefined): void {
    const previous = this.#store.getState().service.duty;
    this.#store.dispatch({ type: 'service.duty', status });
    const askedHere = this.#offRequested;
    if (status !== 'off' || previous === null || previous === 'off') return;
    this.#offRequested = false;
    if (askedHere) return;
    // Not this tab's doing: another tab, or a connection lost for too long (the duty frame after the
    // reconnect's welcome carries no reason, so the wording stays neutral then).
    const key: MessageKey = reason === 'disconnected' || reason === 'lease_expired' ? 'duty.offDisconnected' : 'duty.offElsewhere';
    showToast(this.#t(key), 'info');
  }

  #onChat(chat: ChatSummary): void {
    const before = this.#store.getState().service.chats.get(chat.id);
    const wasMineOpen = before?.listed === true && before.chat.status !== 'closed';
    const wasAssignedAt = before?.chat.assignedAt ?? null;
    this.#store.dispatch({ type: 'service.chat', chat, listed: true });
    if (chat.status === 'closed') {
      this.#unseenArrivals.delete(chat.id);
      return;
    }
    const arrived = !wasMineOpen || (chat.assignedAt !== null && chat.assignedAt !== wasAssignedAt);
    if (!arrived) return;
    // Every chat in the sidebar has its newest page loaded: unread counts and previews are exact.
    this.loadNewest(chat.id);
    // A chat that came to the agent while this page was open (not one re-sent after a reload).
    const fresh = Math.max(chat.assignedAt ?? 0, chat.createdAt) >= this.#attachedAt - 2_000;
    if (fresh && !this.#looking(chat.id)) {
      this.#unseenArrivals.add(chat.id);
      this.#alert(chat, chat.lastMessage?.author === 'visitor' ? chat.lastMessage.body : '', true);
    }
  }

  #onRemoved(chatId: string, reason: string): void {
    const entry = this.#store.getState().service.chats.get(chatId);
    this.#store.dispatch({ type: 'service.chat.removed', chatId, agentId: this.#store.getState().me?.id });
    this.#unseenArrivals.delete(chatId);
    if (!entry) return;
    const name = visitorLabel(entry.chat.visitor, this.#t);
    if (reason === 'reply_timeout') showToast(this.#t('visitors.removed.timeout', { name }), 'info');
    else if (reason === 'agent_off_duty' || reason === 'logged_out' || reason === 'disconnected' || reason === 'lease_expired')
      showToast(this.#t('visitors.removed.offDuty', { name }), 'info');
  }

  #onMessage(message: ChatMessage): void {
    this.#store.dispatch({ type: 'service.messages', chatId: message.chatId, messages: [message] });
    if (message.author !== 'visitor') return;
    const entry = this.#store.getState().service.chats.get(message.chatId);
    if (!entry?.listed || this.#looking(message.chatId)) return;
    this.#alert(entry.chat, message.body, false);
  }

  // ——— attention ———

  /** The agent can see this chat now: it is on screen and the window is visible and focused. */
  #looking(chatId: string): boolean {
    return this.#viewing === chatId && !pageHidden();
  }

  #alert(chat: ChatSummary, text: string, newChat: boolean): void {
    const now = Date.now();
    if (now - this.#lastRing > 1_500) {
      this.#lastRing = now;
      ring();
    }
    if (!pageHidden()) return;
    const t = this.#t;
    const name = visitorLabel(chat.visitor, t);
    const title = newChat ? t('notify.newChat', { name }) : t('notify.message', { name });
    desktopNotify(title, text.replace(/\s+/g, ' ').trim() || t('notify.open'), `switchboard-visitor-${chat.id}`, () => goTo({ kind: 'visitor', id: chat.id }));
  }

  /** "Rings until the agent looks": again while a visitor message or a new chat waits unseen. */
  #ringAgain(): void {
    const { service } = this.#store.getState();
    for (const chatId of this.#unseenArrivals) {
      const entry = service.chats.get(chatId);
      if (!entry?.listed || entry.chat.status === 'closed') this.#unseenArrivals.delete(chatId);
    }
    if (this.#viewing && !pageHidden()) this.#unseenArrivals.delete(this.#viewing);
    if (totalVisitorUnread(service) === 0 && this.#unseenArrivals.size === 0) return;
    this.#lastRing = Date.now();
    ring();
  }

  // ——— loading ———

  async #loadRecent(): Promise<void> {
    const meId = this.#store.getState().me?.id;
    if (!meId) return;
    try {
      const page = await this.api.transcripts({ status: 'closed', limit: 50 });
      const since = Date.now() - RECENT_WINDOW_MS;
      for (const chat of page.chats) {
        if (!chat.agentIds.includes(meId) || (chat.closedAt ?? 0) < since) continue;
        if (this.#store.getState().service.chats.get(chat.id)?.listed) continue;
        this.#store.dispatch({ type: 'service.chat', chat, listed: true });
      }
    } catch {
      // "Recent" stays empty; it is a convenience.
    }
  }

  /** After a reconnect: chats that closed or moved away meanwhile, and messages missed meanwhile. */
  async #reconcile(): Promise<void> {
    let open: ChatSummary[];
    try {
      open = await this.api.openChats();
    } catch {
      return;
    }
    const openIds = new Set(open.map((chat) => chat.id));
    const meId = this.#store.getState().me?.id;
    for (const entry of this.#store.getState().service.chats.values()) {
      if (!entry.listed || entry.chat.status === 'closed' || openIds.has(entry.chat.id)) continue;
      try {
        const fresh = await this.api.chat(entry.chat.id);
        if (fresh.status === 'closed') this.#store.dispatch({ type: 'service.chat', chat: fresh, listed: true });
        else if (!meId || !fresh.agentIds.includes(meId)) {
          this.#store.dispatch({ type: 'service.chat', chat: fresh, listed: false });
          this.#store.dispatch({ type: 'service.chat.removed', chatId: fresh.id, agentId: meId });
        }
      } catch {
        this.#store.dispatch({ type: 'service.chat.removed', chatId: entry.chat.id, agentId: meId });
      }
    }
    for (const [chatId, timeline] of this.#store.getState().service.timelines) {
      if (timeline.status === 'ready') this.#fetchNewest(chatId);
    }
  }

  #fetchNewest(chatId: string): void {
    const { dispatch } = this.#store;
    dispatch({ type: 'service.timeline.loading', chatId });
    this.api.history(chatId, { limit: VISITOR_PAGE_SIZE }).then(
      (page) => dispatch({ type: 'service.timeline.newest', chatId, messages: page.messages, hasMore: page.hasMore }),
      () => dispatch({ type: 'service.timeline.failed', chatId }),
    );
  }

  #loadReadMarks(): Map<string, number> {
    const marks = new Map<string, number>();
    try {
      const raw = localStorage.getItem(this.#readMarksKey());
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      if (Array.isArray(parsed)) {
        for (const item of parsed) {
          if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'number') marks.set(item[0], item[1]);
        }
      }
    } catch {
      // Unreadable: start over.
    }
    return marks;
  }

  #readMarksKey(): string {
    return `switchboard.visitorRead.${this.#store.getState().me?.id ?? 'anonymous'}`;
  }

  #saveReadMarks(): void {
    window.clearTimeout(this.#saveTimer);
    this.#saveTimer = 0;
    try {
      const entries = [...this.#store.getState().service.readSeq].slice(-READ_MARKS_KEPT);
      localStorage.setItem(this.#readMarksKey(), JSON.stringify(entries));
    } catch {
      // Private mode or storage full: marks last for this page.
    }
  }

  #resendRetryable(): void {
    for (const list of this.#store.getState().service.outgoing.values()) {
      for (const item of list) if (item.status === 'failed' && item.retryable) this.#deliver({ ...item, status: 'sending', error: null });
    }
  }

  #deliver(item: VisitorOutgoing): void {
    const { dispatch } = this.#store;
    dispatch({ type: 'service.outgoing.set', message: item });
    const client = this.#client;
    if (!client) return;
    const me = this.#store.getState().me;
    client.request({ type: item.note ? 'visitor.note' : 'visitor.send', chatId: item.chatId, clientId: item.clientId, body: item.body }).then(
      (answer) => {
        if (answer.type === 'visitor.ack') {
          const message: ChatMessage = {
            id: answer.messageId,
            chatId: item.chatId,
            seq: answer.seq,
            author: item.note ? 'note' : 'agent',
            agentId: me?.id ?? null,
            authorName: me?.displayName ?? null,
            clientId: item.clientId,
            body: item.body,
            createdAt: Date.now(),
          };
          dispatch({ type: 'service.messages', chatId: item.chatId, messages: [message] });
        }
        dispatch({ type: 'service.outgoing.remove', chatId: item.chatId, clientId: item.clientId });
      },
      (error: unknown) => {
        const failure = toFailure(error);
        const retryable = error instanceof ClientError ? error.retryable : failure.retryable;
        dispatch({ type: 'service.outgoing.set', message: { ...item, status: 'failed', error: failure.message, retryable } });
      },
    );
  }

  #request(frame: RequestFrame): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.reject(new ClientError('closed', 'not connected'));
    return client.request(frame).then(() => undefined);
  }

  // ——— ServiceActions (arrow properties: the UI passes them around as callbacks) ———

  readonly setDuty = async (status: DutyStatus): Promise<void> => {
    if (status !== 'off') {
      // A click: the moment to unlock audio and ask for notifications.
      unlockAudio();
      askNotificationPermission();
    }
    this.#offRequested = status === 'off';
    await this.#request({ type: 'duty.set', status });
  };

  readonly view = (chatId: string | null): void => {
    this.#viewing = chatId;
    if (!chatId) return;
    if (!pageHidden()) this.#unseenArrivals.delete(chatId);
    const timeline = this.#store.getState().service.timelines.get(chatId);
    if (timeline?.status !== 'ready' && timeline?.status !== 'loading') this.loadNewest(chatId);
  };

  readonly loadChat = async (chatId: string): Promise<void> => {
    const chat = await this.api.chat(chatId);
    this.#store.dispatch({ type: 'service.chat', chat, listed: false });
  };

  readonly loadNewest = (chatId: string): void => {
    const timeline = this.#store.getState().service.timelines.get(chatId);
    if (timeline?.status === 'loading') return;
    this.#fetchNewest(chatId);
  };

  readonly loadOlder = (chatId: string): void => {
    const timeline = this.#store.getState().service.timelines.get(chatId);
    if (!timeline || timeline.status !== 'ready' || !timeline.hasOlder || timeline.olderStatus === 'loading') return;
    const before = timeline.messages[0]?.seq;
    const { dispatch } = this.#store;
    dispatch({ type: 'service.timeline.olderLoading', chatId });
    this.api.history(chatId, before === undefined ? { limit: VISITOR_PAGE_SIZE } : { before, limit: VISITOR_PAGE_SIZE }).then(
      (page) => dispatch({ type: 'service.timeline.older', chatId, messages: page.messages, hasMore: page.hasMore }),
      () => dispatch({ type: 'service.timeline.olderFailed', chatId }),
    );
  };

  readonly send = (chatId: string, body: string, note: boolean): void => {
    if (!note) this.typing(chatId, 'stop');
    this.#deliver({ clientId: newClientId(), chatId, body, note, createdAt: Date.now(), status: 'sending', error: null, retryable: false });
  };

  readonly retry = (chatId: string, clientId: string): void => {
    const item = this.#store.getState().service.outgoing.get(chatId)?.find((entry) => entry.clientId === clientId);
    // The same clientId: if the first try was stored after all, the server answers with that message.
    if (item && item.status === 'failed') this.#deliver({ ...item, status: 'sending', error: null });
  };

  readonly discard = (chatId: string, clientId: string): void => {
    this.#store.dispatch({ type: 'service.outgoing.remove', chatId, clientId });
  };

  readonly typing = (chatId: string, state: 'start' | 'stop'): void => {
    const client = this.#client;
    if (!client || client.state !== 'open') return;
    if (state === 'start') {
      const last = this.#typingSentAt.get(chatId);
      if (last !== undefined && Date.now() - last < TYPING_THROTTLE_MS) return;
      this.#typingSentAt.set(chatId, Date.now());
    } else {
      if (!this.#typingSentAt.has(chatId)) return;
      this.#typingSentAt.delete(chatId);
    }
    client.request({ type: 'visitor.typing', chatId, state }).catch(() => {
      // Ephemeral: a lost indicator is not worth reporting.
    });
  };

  readonly markSeen = (chatId: string, seq: number): void => {
    if ((this.#store.getState().service.readSeq.get(chatId) ?? 0) >= seq) return;
    this.#store.dispatch({ type: 'service.read', chatId, seq });
    this.#unseenArrivals.delete(chatId);
    if (!this.#saveTimer) this.#saveTimer = window.setTimeout(() => this.#saveReadMarks(), 500);
  };

  readonly close = (chatId: string): Promise<void> => this.#request({ type: 'visitor.close', chatId });

  readonly transfer = (chatId: string, to: TransferTarget): Promise<void> => this.#request({ type: 'visitor.transfer', chatId, to });

  readonly invite = (chatId: string, agentId: string): Promise<void> => this.#request({ type: 'visitor.invite', chatId, agentId });

  readonly ask = async (chatId: string, userId: string, note: string): Promise<string> => {
    const trimmed = note.trim();
    const { conversationId } = await this.api.ask(chatId, { userId, ...(trimmed ? { note: trimmed } : {}) });
    // Known before navigating there, so the chat pane does not treat it as gone.
    if (!this.#store.getState().conversations.has(conversationId)) {
      const conversation = await this.#options.api.getConversation(conversationId);
      this.#store.dispatch({ type: 'conversation', conversation });
    }
    return conversationId;
  };

  readonly dismissRecent = (chatIds: readonly string[]): void => {
    this.#store.dispatch({ type: 'service.chat.dismissed', chatIds });
  };
}

import { CLOSE_CODES, newClientId, type Message } from '@switchboard/protocol';
import { SwitchboardClient, type ClientOptions } from '@switchboard/client';
import type { Store } from '../state/store.js';
import { findDirectWith } from '../state/selectors.js';
import { firstMessage } from '../state/timeline.js';
import { toFailure } from '../lib/errors.js';
import type { ChatActions } from './actions.js';
import type { ApiPort } from './ports.js';

/** Messages per history page. */
export const PAGE_SIZE = 50;

export interface ChatSessionOptions {
  store: Store;
  api: ApiPort;
  socketUrl: string;
  /** The server ended the session (logout elsewhere, disabled account, unauthorized socket). */
  onEnded(): void;
  /** The user chose to log out. */
  onLogout(): Promise<void>;
  /** Extra client options (tests). */
  clientOptions?: Partial<ClientOptions>;
  /** Customer service for agents: attached to the SDK client for as long as the session runs. */
  desk?: { attach(client: SwitchboardClient): void; detach(): void };
}

/**
 * The running chat: owns the SDK client, maps its events onto the store and implements the actions
 * the UI calls. One per signed-in session; `start()` connects, `stop()` disconnects for good.
 */
export class ChatSession implements ChatActions {
  readonly #options: ChatSessionOptions;
  #client: SwitchboardClient | null = null;
  #unsubscribers: (() => void)[] = [];
  #stopped = false;
  #everOnline = false;
  #presence: 'online' | 'away' = 'online';
  /** The last read mark sent per conversation, so focus changes do not resend it. */
  readonly #readSent = new Map<string, number>();
  /** Messages from the client, applied to the store once per microtask (catch-up delivers hundreds). */
  #inbox: Message[] = [];
  #directoryRequest: Promise<void> | null = null;
  /** The conversation on screen (the last one ensureLoaded was called for). */
  #openId: string | null = null;
  /** A welcome after the first one: what is loaded may have changed meanwhile. */
  #reconnected = false;
  #welcomed = false;
  /** Conversations the user is typing in now (between a typing start and stop). */
  readonly #typingIn = new Set<string>();
  /** What each part of the UI on screen wants live presence for; the client watches their union. */
  readonly #presenceWatches = new Set<readonly string[]>();

  constructor(options: ChatSessionOptions) {
    this.#options = options;
  }

  get #store(): Store {
    return this.#options.store;
  }

  start(): void {
    this.#stopped = false;
    const client = new SwitchboardClient({ url: this.#options.socketUrl, ...this.#options.clientOptions });
    this.#client = client;
    const { dispatch } = this.#store;
    const on = this.#unsubscribers;

    on.push(
      client.on('state', (event) => {
        if (event.state === 'open') {
          this.#everOnline = true;
          dispatch({ type: 'connection', status: 'online' });
        } else if (event.state === 'connecting') {
          dispatch({ type: 'connection', status: this.#everOnline ? 'reconnecting' : 'connecting' });
        } else if (!this.#stopped) {
          if (event.code === CLOSE_CODES.unauthorized || event.code === CLOSE_CODES.sessionEnded) this.#ended();
          else dispatch({ type: 'connection', status: 'offline' });
        }
      }),
      client.on('welcome', (welcome) => {
        dispatch({ type: 'welcome', user: welcome.user, permissions: welcome.permissions, conversations: welcome.conversations, presence: welcome.presence });
        this.#readSent.clear();
        this.#reconnected = this.#welcomed;
        this.#welcomed = true;
        if (this.#presence === 'away') this.#sendPresence();
        for (const conversationId of this.#typingIn) void client.typing(conversationId, 'start').catch(() => undefined);
        void this.#loadDirectory();
      }),
      client.on('message', ({ message }) => this.#receive(message)),
      client.on('message.updated', ({ message }) => dispatch({ type: 'message.updated', message })),
      client.on('typing', (frame) => dispatch({ type: 'typing', conversationId: frame.conversationId, userId: frame.userId, state: frame.state, now: Date.now() })),
      client.on('read', (frame) => dispatch({ type: 'read', conversationId: frame.conversationId, userId: frame.userId, seq: frame.seq })),
      client.on('presence', ({ presence }) => dispatch({ type: 'presence', presence })),
      client.on('presence.snapshot', ({ presence }) => dispatch({ type: 'presence.snapshot', presence })),
      client.on('user', ({ user }) => dispatch({ type: 'user', user })),
      client.on('conversation', ({ conversation }) => {
        dispatch({ type: 'conversation', conversation });
        const { users } = this.#store.getState();
        if (conversation.members.some((member) => !users.has(member.userId))) void this.#loadDirectory();
      }),
      client.on('conversation.removed', ({ conversationId }) => dispatch({ type: 'conversation.removed', conversationId })),
      client.on('session.ended', () => this.#ended()),
      client.on('synced', () => this.#afterSync()),
    );
    this.#options.desk?.attach(client);
    this.#updatePresenceWatch();
    client.connect().catch(() => {
      // Closed for good before the first welcome; the state handler has dealt with it.
    });
  }

  stop(): void {
    this.#stopped = true;
    for (const unsubscribe of this.#unsubscribers.splice(0)) unsubscribe();
    this.#options.desk?.detach();
    this.#client?.close();
    this.#client = null;
  }

  #ended(): void {
    if (this.#stopped) return;
    this.stop();
    this.#options.onEnded();
  }

  #receive(message: Message): void {
    if (this.#inbox.length === 0) queueMicrotask(() => this.#flushInbox());
    this.#inbox.push(message);
  }

  #flushInbox(): void {
    const messages = this.#inbox;
    this.#inbox = [];
    if (messages.length === 1 && messages[0]) this.#store.dispatch({ type: 'message', message: messages[0] });
    else if (messages.length > 0) this.#store.dispatch({ type: 'messages', messages });
  }

  #loadDirectory(): Promise<void> {
    this.#directoryRequest ??= this.#options.api
      .directory()
      .then((users) => {
        if (this.#stopped) return;
        this.#store.dispatch({ type: 'directory', users: users.map((entry) => entry.user), presence: users.map((entry) => entry.presence) });
      })
      .catch(() => {
        // The list stays as it was; the next welcome tries again.
      })
      .finally(() => {
        this.#directoryRequest = null;
      });
    return this.#directoryRequest;
  }

  /**
   * After a reconnect's catch-up. New messages came through the sync, but edits and deletes made
   * meanwhile did not (they take no seq): the open conversation reloads its newest page, the others
   * are marked stale and reload when opened.
   */
  #afterSync(): void {
    if (!this.#reconnected) return;
    const { timelines } = this.#store.getState();
    for (const [conversationId, timeline] of timelines) {
      if (timeline.status !== 'ready') continue;
      if (conversationId === this.#openId) void this.#loadNewest(conversationId);
      else this.#store.dispatch({ type: 'timeline.stale', conversationId });
    }
  }

  async #loadNewest(conversationId: string): Promise<void> {
    const { dispatch } = this.#store;
    dispatch({ type: 'timeline.loading', conversationId });
    try {
      const page = await this.#options.api.history(conversationId, { limit: PAGE_SIZE });
      if (this.#stopped) return;
      dispatch({ type: 'timeline.newest', conversationId, messages: page.messages, hasMore: page.hasMore });
      const newest = page.messages.reduce((max, message) => Math.max(max, message.seq), 0);
      if (newest > 0) this.#client?.markSeen(conversationId, newest);
    } catch {
      if (!this.#stopped) dispatch({ type: 'timeline.failed', conversationId });
    }
  }

  // ——— ChatActions (arrow properties: the UI passes them around as callbacks) ———

  readonly ensureLoaded = (conversationId: string): void => {
    this.#openId = conversationId;
    const timeline = this.#store.getState().timelines.get(conversationId);
    if (timeline?.status === 'ready' || timeline?.status === 'loading') return;
    void this.#loadNewest(conversationId);
  };

  readonly loadOlder = (conversationId: string): void => {
    const timeline = this.#store.getState().timelines.get(conversationId);
    if (!timeline || timeline.status !== 'ready' || !timeline.hasOlder || timeline.olderStatus === 'loading') return;
    const before = firstMessage(timeline)?.seq;
    const { dispatch } = this.#store;
    dispatch({ type: 'timeline.olderLoading', conversationId });
    this.#options.api
      .history(conversationId, before === undefined ? { limit: PAGE_SIZE } : { before, limit: PAGE_SIZE })
      .then((page) => {
        if (!this.#stopped) dispatch({ type: 'timeline.older', conversationId, messages: page.messages, hasMore: page.hasMore });
      })
      .catch(() => {
        if (!this.#stopped) dispatch({ type: 'timeline.olderFailed', conversationId });
      });
  };

  readonly send = (conversationId: string, body: string): void => {
    const client = this.#client;
    const me = this.#store.getState().me;
    if (!client || !me) return;
    const clientId = newClientId();
    const createdAt = Date.now();
    const { dispatch } = this.#store;
    dispatch({ type: 'outgoing.set', message: { clientId, conversationId, body, createdAt, status: 'sending', error: null } });
    client.send(conversationId, body, { clientId }).then(
      (ack) => {
        if (this.#stopped) return;
        // The ack carries everything needed to show the message at once; the `message` frame that
        // also comes is deduplicated by seq.
        dispatch({
          type: 'message',
          message: {
            id: ack.messageId,
            conversationId,
            seq: ack.seq,
            senderId: me.id,
            clientId,
            kind: 'text',
            body,
            createdAt: ack.createdAt,
            editedAt: null,
            deletedAt: null,
          },
        });
        dispatch({ type: 'outgoing.remove', conversationId, clientId });
      },
      (error: unknown) => {
        if (this.#stopped) return;
        const failure = toFailure(error);
        dispatch({ type: 'outgoing.set', message: { clientId, conversationId, body, createdAt, status: 'failed', error: failure.message } });
      },
    );
  };

  readonly retry = (conversationId: string, clientId: string): void => {
    const item = this.#store.getState().outgoing.get(conversationId)?.find((entry) => entry.clientId === clientId);
    if (!item || item.status !== 'failed') return;
    this.#store.dispatch({ type: 'outgoing.remove', conversationId, clientId });
    this.send(conversationId, item.body);
  };

  readonly discard = (conversationId: string, clientId: string): void => {
    this.#store.dispatch({ type: 'outgoing.remove', conversationId, clientId });
  };

  readonly edit = async (conversationId: string, messageId: string, body: string): Promise<void> => {
    await this.#requireClient().edit(conversationId, messageId, body);
  };

  readonly remove = async (conversationId: string, messageId: string): Promise<void> => {
    await this.#requireClient().remove(conversationId, messageId);
  };

  readonly typing = (conversationId: string, state: 'start' | 'stop'): void => {
    // Remembered, so someone typing while the socket (re)connects is announced once it is up.
    if (state === 'start') this.#typingIn.add(conversationId);
    else this.#typingIn.delete(conversationId);
    this.#client?.typing(conversationId, state).catch(() => {
      // Ephemeral: a lost indicator is not worth reporting.
    });
  };

  readonly markRead = (conversationId: string, seq: number): void => {
    const me = this.#store.getState().me;
    if (!me) return;
    // Applied locally every time (a summary from the server may have raced an earlier mark),
    // sent to the server once per seq.
    this.#store.dispatch({ type: 'read', conversationId, userId: me.id, seq });
    if ((this.#readSent.get(conversationId) ?? 0) >= seq) return;
    this.#readSent.set(conversationId, seq);
    this.#client?.markRead(conversationId, seq).catch(() => {
      // Try again on the next occasion (focus, new message).
      if (this.#readSent.get(conversationId) === seq) this.#readSent.delete(conversationId);
    });
  };

  readonly setPresence = (status: 'online' | 'away'): void => {
    this.#presence = status;
    this.#sendPresence();
  };

  readonly watchPresence = (userIds: readonly string[]): (() => void) => {
    const watch = [...userIds];
    this.#presenceWatches.add(watch);
    this.#updatePresenceWatch();
    return () => {
      this.#presenceWatches.delete(watch);
      this.#updatePresenceWatch();
    };
  };

  #updatePresenceWatch(): void {
    const union = new Set<string>();
    for (const watch of this.#presenceWatches) for (const userId of watch) union.add(userId);
    this.#client?.watchPresence([...union]);
  }

  #sendPresence(): void {
    if (this.#client?.state !== 'open') return;
    this.#client.setPresence(this.#presence).catch(() => {
      // Sent again after the next welcome if still away.
    });
  }

  readonly openDirect = async (userId: string): Promise<string> => {
    const { conversations, me } = this.#store.getState();
    if (me) {
      const existing = findDirectWith(conversations, me.id, userId);
      if (existing) return existing.id;
    }
    const conversation = await this.#options.api.createConversation({ kind: 'direct', userId });
    this.#store.dispatch({ type: 'conversation', conversation });
    return conversation.id;
  };

  readonly createGroup = async (title: string, memberIds: readonly string[]): Promise<string> => {
    const conversation = await this.#options.api.createConversation({ kind: 'group', title, memberIds: [...memberIds] });
    this.#store.dispatch({ type: 'conversation', conversation });
    return conversation.id;
  };

  readonly rename = async (conversationId: string, title: string): Promise<void> => {
    const conversation = await this.#options.api.renameConversation(conversationId, title);
    this.#store.dispatch({ type: 'conversation', conversation });
  };

  readonly addMembers = async (conversationId: string, userIds: readonly string[]): Promise<void> => {
    const conversation = await this.#options.api.addMembers(conversationId, userIds);
    this.#store.dispatch({ type: 'conversation', conversation });
  };

  readonly removeMember = async (conversationId: string, userId: string): Promise<void> => {
    await this.#options.api.removeMember(conversationId, userId);
    const conversation = this.#store.getState().conversations.get(conversationId);
    if (conversation) {
      this.#store.dispatch({
        type: 'conversation',
        conversation: { ...conversation, members: conversation.members.filter((member) => member.userId !== userId) },
      });
    }
  };

  readonly leave = async (conversationId: string): Promise<void> => {
    const me = this.#store.getState().me;
    if (!me) return;
    await this.#options.api.removeMember(conversationId, me.id);
    this.#store.dispatch({ type: 'conversation.removed', conversationId });
  };

  readonly reconnectNow = (): void => {
    this.#client?.connect().catch(() => {
      // Closed for good; the state handler has dealt with it.
    });
  };

  readonly logout = async (): Promise<void> => {
    this.stop();
    await this.#options.onLogout();
  };

  #requireClient(): SwitchboardClient {
    if (!this.#client) throw new Error('not connected');
    return this.#client;
  }
}

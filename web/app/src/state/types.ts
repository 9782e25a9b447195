import type { ChatMessage, ChatSummary, Conversation, DutyStatus, Message, Permission, PresenceStatus, User } from '@switchboard/protocol';

/** What the connection banner shows. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

/**
 * A run of loaded messages, sorted by seq. The message list renders one memoised component per
 * chunk, so prepending an older page or appending a live message re-renders one chunk, not all.
 */
export interface MessageChunk {
  readonly key: number;
  readonly items: readonly Message[];
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** How far a history has been loaded: the newest page, and whether there are older ones to fetch. */
export interface HistoryPaging {
  /** The newest page was loaded over HTTP; before that only live messages are known. */
  readonly status: LoadStatus;
  /** The server has messages older than the first loaded one. */
  readonly hasOlder: boolean;
  readonly olderStatus: Exclude<LoadStatus, 'ready'>;
}

/** The loaded part of one conversation's history: a contiguous range of seqs ending at the newest. */
export interface Timeline extends HistoryPaging {
  readonly chunks: readonly MessageChunk[];
}

/** A message the user sent that the server has not acknowledged yet (or refused). */
export interface OutgoingMessage {
  readonly clientId: string;
  readonly conversationId: string;
  readonly body: string;
  readonly createdAt: number;
  readonly status: 'sending' | 'failed';
  /** Why it failed, for the tooltip. */
  readonly error: string | null;
}

export interface AppState {
  readonly me: User | null;
  readonly permissions: readonly Permission[];
  readonly connection: ConnectionStatus;
  /** The welcome frame arrived at least once: the conversation list is real, not empty-for-now. */
  readonly ready: boolean;
  readonly conversations: ReadonlyMap<string, Conversation>;
  readonly timelines: ReadonlyMap<string, Timeline>;
  /** Everyone in the directory (and any member seen elsewhere), by id. */
  readonly users: ReadonlyMap<string, User>;
  readonly presence: ReadonlyMap<string, PresenceStatus>;
  /** conversationId → userId → when the indicator expires (epoch ms). */
  readonly typing: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Unacknowledged or failed own messages, by conversation, oldest first. */
  readonly outgoing: ReadonlyMap<string, readonly OutgoingMessage[]>;
  /** Customer service (agents only; empty for everyone else). */
  readonly service: ServiceState;
}

/** A visitor chat as the agent's client keeps it. */
export interface VisitorChat {
  readonly chat: ChatSummary;
  /**
   * In the agent's sidebar: the server told this agent about it (they are or were in it). False for a
   * chat opened only to read it (a colleague's link, a transcript).
   */
  readonly listed: boolean;
}

/** The loaded messages of one visitor chat, ascending seq, one copy per seq (visitor chats are short). */
export interface VisitorTimeline extends HistoryPaging {
  readonly messages: readonly ChatMessage[];
}

/** A reply or note the agent sent that the CS system has not acknowledged yet (or refused). */
export interface VisitorOutgoing {
  readonly clientId: string;
  readonly chatId: string;
  readonly body: string;
  readonly note: boolean;
  readonly createdAt: number;
  readonly status: 'sending' | 'failed';
  readonly error: string | null;
  /** A lost connection or a timeout: sent again (same clientId) after the next welcome. */
  readonly retryable: boolean;
}

export interface ServiceState {
  /** The agent's duty as the CS system recorded it; null until its first `duty` frame. */
  readonly duty: DutyStatus | null;
  readonly chats: ReadonlyMap<string, VisitorChat>;
  readonly timelines: ReadonlyMap<string, VisitorTimeline>;
  readonly outgoing: ReadonlyMap<string, readonly VisitorOutgoing[]>;
  /** chatId → when the visitor's typing indicator expires (epoch ms). */
  readonly typing: ReadonlyMap<string, number>;
  /** chatId → the highest seq this agent has looked at (kept in localStorage across reloads). */
  readonly readSeq: ReadonlyMap<string, number>;
}

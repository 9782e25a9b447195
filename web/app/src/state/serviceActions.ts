import type { ChatMessage, ChatSummary, DutyStatus } from '@switchboard/protocol';
import type { VisitorOutgoing } from './types.js';

/** Customer-service state changes (agents). Server frames map onto these in net/agentDesk.ts. */
export type ServiceAction =
  | { type: 'service.duty'; status: DutyStatus }
  /** A chat summary from the server. `listed`: the agent is in it (a `visitor.chat` frame); false: read-only view. */
  | { type: 'service.chat'; chat: ChatSummary; listed: boolean }
  /** The agent (`agentId`, the signed-in one) is no longer in the chat (transferred, left, off duty); it leaves the sidebar. */
  | { type: 'service.chat.removed'; chatId: string; agentId: string | undefined }
  /** Closed chats dropped from "Recent". */
  | { type: 'service.chat.dismissed'; chatIds: readonly string[] }
  | { type: 'service.messages'; chatId: string; messages: readonly ChatMessage[] }
  | { type: 'service.timeline.loading'; chatId: string }
  | { type: 'service.timeline.failed'; chatId: string }
  | { type: 'service.timeline.newest'; chatId: string; messages: readonly ChatMessage[]; hasMore: boolean }
  | { type: 'service.timeline.olderLoading'; chatId: string }
  | { type: 'service.timeline.olderFailed'; chatId: string }
  | { type: 'service.timeline.older'; chatId: string; messages: readonly ChatMessage[]; hasMore: boolean }
  | { type: 'service.outgoing.set'; message: VisitorOutgoing }
  | { type: 'service.outgoing.remove'; chatId: string; clientId: string }
  | { type: 'service.typing'; chatId: string; state: 'start' | 'stop'; now: number }
  /** The agent looked at the chat up to `seq`. */
  | { type: 'service.read'; chatId: string; seq: number }
  | { type: 'service.readMarks'; marks: ReadonlyMap<string, number> };

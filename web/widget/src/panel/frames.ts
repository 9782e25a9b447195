import { isWidgetConfig } from '../shared/config.js';
import type { ChatMessage, ErrorBody, VisitorChatView, VisitorServerFrame } from '../shared/protocol.js';

/*
 * Light structural checks of server frames. The widget does not ship zod (size budget); these
 * checks only guarantee the shapes the widget reads, so a malformed frame is dropped instead of
 * crashing the panel. Every string is still rendered as text.
 */

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNullableString = (value: unknown): value is string | null => value === null || isString(value);

const AUTHORS = new Set(['visitor', 'agent', 'system', 'note']);
const STATUSES = new Set(['queued', 'assigned', 'closed']);

export function isChatMessage(value: unknown): value is ChatMessage {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.chatId) &&
    isNumber(value.seq) &&
    isString(value.author) &&
    AUTHORS.has(value.author) &&
    isNullableString(value.authorName ?? null) &&
    isNullableString(value.clientId ?? null) &&
    isString(value.body) &&
    isNumber(value.createdAt)
  );
}

export function isChatView(value: unknown): value is VisitorChatView {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.status) &&
    STATUSES.has(value.status) &&
    (value.queuePosition === null || value.queuePosition === undefined || isNumber(value.queuePosition)) &&
    isNullableString(value.agentName ?? null) &&
    typeof value.closed === 'boolean'
  );
}

function isErrorBody(value: unknown): value is ErrorBody {
  return isObject(value) && isString(value.code) && isString(value.message) && typeof value.retryable === 'boolean';
}

/** Parses one text frame from the server, or null if it is not one the widget understands. */
export function parseServerFrame(data: unknown): VisitorServerFrame | null {
  if (!isString(data)) return null;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(frame) || !isString(frame.type)) return null;
  if (frame.ref !== undefined && !isString(frame.ref)) return null;
  const f = frame;
  switch (f.type) {
    case 'v.welcome': {
      if (!isString(f.token) || !isWidgetConfig(f.config) || !(f.chat === null || isChatView(f.chat)) || !Array.isArray(f.messages)) return null;
      // One bad message must not lose the whole chat: keep the well-formed ones.
      return { ...f, messages: f.messages.filter(isChatMessage) } as VisitorServerFrame;
    }
    case 'v.chat':
      return isChatView(f.chat) ? (f as VisitorServerFrame) : null;
    case 'v.message':
      return isChatMessage(f.message) ? (f as VisitorServerFrame) : null;
    case 'v.typing':
      return f.state === 'start' || f.state === 'stop' ? (f as VisitorServerFrame) : null;
    case 'v.ack':
      return isString(f.clientId) && isString(f.messageId) && isNumber(f.seq) ? (f as VisitorServerFrame) : null;
    case 'v.error':
      return isErrorBody(f.error) ? (f as VisitorServerFrame) : null;
    case 'v.ok':
    case 'v.pong':
      return f as VisitorServerFrame;
    default:
      return null;
  }
}

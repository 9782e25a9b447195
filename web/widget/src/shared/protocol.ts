/*
 * The widget's view of the protocol. Only TYPES come from @switchboard/protocol: its runtime
 * (zod schemas) would blow the size budget. Constants are restated here and pinned to the
 * protocol's literal types, so a protocol bump fails the widget's typecheck instead of drifting.
 */
import type {
  CLOSE_CODES as ProtocolCloseCodes,
  ChatMessage,
  ErrorBody,
  LIMITS as ProtocolLimits,
  PageInfo,
  PreChatField,
  VISITOR_PROTOCOL_VERSION as ProtocolVersion,
  VisitorChatView,
  VisitorClientFrame,
  VisitorServerFrame,
  WidgetConfig,
} from '@switchboard/protocol';

export type { ChatMessage, ErrorBody, PageInfo, PreChatField, VisitorChatView, VisitorClientFrame, VisitorServerFrame, WidgetConfig };

export const VISITOR_PROTOCOL: typeof ProtocolVersion = 1;

export const MAX_MESSAGE_CHARS: (typeof ProtocolLimits)['maxMessageChars'] = 8000;
export const MAX_NAME_CHARS: (typeof ProtocolLimits)['maxDisplayNameChars'] = 80;
export const TYPING_TTL_MS: (typeof ProtocolLimits)['typingTtlMs'] = 6000;
export const MAX_FRAME_BYTES: (typeof ProtocolLimits)['maxFrameBytes'] = 64 * 1024;

export const CLOSE = {
  policy: 1008,
  unsupportedVersion: 4000,
  unauthorized: 4001,
} as const satisfies Partial<typeof ProtocolCloseCodes>;

/** A server frame of one type. */
export type ServerFrameOf<T extends VisitorServerFrame['type']> = Extract<VisitorServerFrame, { type: T }>;
/** A client frame of one type (without the optional ref). */
export type ClientFrameOf<T extends VisitorClientFrame['type']> = Extract<VisitorClientFrame, { type: T }>;

/** Bumped on any incompatible change to a frame; a client on another version is told so and closed. */
export const PROTOCOL_VERSION = 1;

/** Limits every client and the server agree on. The server enforces them; clients use them to fail early. */
export const LIMITS = {
  /** Largest WebSocket frame the server reads; a larger one closes the socket with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Longest message body, in UTF-16 code units. */
  maxMessageChars: 8000,
  maxTitleChars: 120,
  maxDisplayNameChars: 80,
  maxGroupMembers: 500,
  /** Most messages one history page or one sync batch carries. */
  maxPageSize: 200,
  /** Typing indicators are ephemeral: a client drops one it has not heard again within this time. */
  typingTtlMs: 6000,
  /** Most users one connection subscribes to with `presence.subscribe` (contacts come on top). */
  maxPresenceSubscriptions: 500,
} as const;

import type { ServerFrameOf } from '@switchboard/protocol';

export type WelcomeFrame = ServerFrameOf<'welcome'>;
export type AckFrame = ServerFrameOf<'ack'>;
export type OkFrame = ServerFrameOf<'ok'>;
export type PongFrame = ServerFrameOf<'pong'>;
export type ErrorFrame = ServerFrameOf<'error'>;
export type MessageFrame = ServerFrameOf<'message'>;
export type SyncBatchFrame = ServerFrameOf<'sync.batch'>;
export type SyncDoneFrame = ServerFrameOf<'sync.done'>;

/** `ReturnType<typeof setTimeout>` differs between DOM and Node typings; this works in both. */
export type Timer = ReturnType<typeof setTimeout>;

/** `Omit<T, 'ref'>` applied to each member of a union separately, so the union stays discriminated. */
export type WithoutRef<T> = T extends unknown ? Omit<T, 'ref'> : never;

/** The parsed (output) type of a protocol schema, without importing zod here. */
export type Infer<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;

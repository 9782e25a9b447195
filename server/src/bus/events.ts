import type { ServerFrame } from '@switchboard/protocol';

/** Who receives a delivery. Decided once, by the command that emits the event. */
export type Recipients = { userIds: readonly string[] } | { everyone: true };

/** A frame for every socket of the recipients, on whichever node they are connected. */
export interface DeliverEvent {
  recipients: Recipients;
  frame: ServerFrame;
}

/** Sessions that ended (logout elsewhere, password change, account disabled): their sockets close. */
export interface SessionsEndedEvent {
  sessionIds: readonly string[];
  reason: string;
}

/**
 * Every channel on the bus and the event it carries. The IM server and the customer-service
 * system add their channels here; nothing else crosses between them.
 */
export interface BusChannels {
  deliver: DeliverEvent;
  'sessions.ended': SessionsEndedEvent;
}

export type BusChannel = keyof BusChannels;

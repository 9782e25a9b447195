import type { Migration } from 'kysely';
import * as im from './001_im.js';
import * as service from './002_service.js';
import * as servicePresence from './003_service_presence.js';
import * as chatMessageEvent from './004_chat_message_event.js';
import * as queueOrderIndex from './005_queue_order_index.js';
import * as readOnSend from './006_read_on_send.js';

/**
 * Every migration, in order. Names sort lexically; never rename or edit one that has shipped —
 * add a new one. The CS system adds its tables in its own numbered migrations here.
 */
export const migrations: Record<string, Migration> = {
  '001_im': im,
  '002_service': service,
  '003_service_presence': servicePresence,
  '004_chat_message_event': chatMessageEvent,
  '005_queue_order_index': queueOrderIndex,
  '006_read_on_send': readOnSend,
};

/**
 * In-memory stand-ins for the server side of a WebSocket, for unit tests. Nothing here touches the
 * network: a test plays the server by calling `accept`, `push` and `drop` on the socket the client made.
 */
import { PROTOCOL_VERSION, type ClientFrame, type Conversation, type Message, type ServerFrame } from '@switchboard/protocol';
import { READY_STATE, type SocketCloseEvent, type SocketMessageEvent, type WebSocketLike } from '../socket.js';
import type { WelcomeFrame } from '../types.js';

type FrameOf<T extends ClientFrame['type']> = Extract<ClientFrame, { type: T }>;

export class FakeSocket implements WebSocketLike {
  readyState: number = READY_STATE.connecting;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: SocketMessageEvent) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Every frame the client wrote, parsed. */
  readonly sent: ClientFrame[] = [];
  /** Arguments of each `close()` the client called. */
  readonly closeCalls: Array<{ code: number | undefined; reason: string | undefined }> = [];

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== READY_STATE.open) throw new Error('InvalidStateError: socket is not open');
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    if (this.readyState !== READY_STATE.closed) this.readyState = READY_STATE.closing;
  }

  // ---- the server's side ----

  /** The upgrade succeeded. */
  accept(): void {
    this.readyState = READY_STATE.open;
    this.onopen?.({});
  }

  /** Delivers a frame (any object: tests also push invalid ones) as JSON text. */
  push(frame: ServerFrame | Record<string, unknown>): void {
    this.pushRaw(JSON.stringify(frame));
  }

  pushRaw(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The connection ends with this close code (1006: the network dropped it). */
  drop(code = 1006, reason = ''): void {
    this.readyState = READY_STATE.closed;
    this.onclose?.({ code, reason });
  }

  sentOf<T extends ClientFrame['type']>(type: T): FrameOf<T>[] {
    return this.sent.filter((frame): frame is FrameOf<T> => frame.type === type);
  }

  lastSent<T extends ClientFrame['type']>(type: T): FrameOf<T> {
    const frame = this.sentOf(type).at(-1);
    if (!frame) throw new Error(`no ${type} frame was sent`);
    return frame;
  }
}

/** Hands out FakeSockets and remembers them, newest last. */
export class FakeServer {
  readonly sockets: FakeSocket[] = [];

  readonly createSocket = (url: string): FakeSocket => {
    const socket = new FakeSocket(url);
    this.sockets.push(socket);
    return socket;
  };

  get socket(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('the client opened no socket');
    return socket;
  }

  /** Accepts the newest socket, checks the client said hello first, and answers welcome. */
  handshake(welcome: WelcomeFrame = makeWelcome()): FakeSocket {
    const socket = this.socket;
    socket.accept();
    const first = socket.sent[0];
    if (first?.type !== 'hello' || first.protocol !== PROTOCOL_VERSION) throw new Error(`expected hello first, got ${JSON.stringify(first)}`);
    socket.push(welcome);
    return socket;
  }
}

/** A valid UUID (version 4 layout) numbered `n`, so tests read `uuid(2)` instead of a random string. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export const ME = uuid(1);
export const OTHER = uuid(2);
export const CONV_A = uuid(100);
export const CONV_B = uuid(101);

export function makeMessage(conversationId: string, seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: uuid(10_000 + seq + (conversationId === CONV_B ? 5_000 : 0)),
    conversationId,
    seq,
    senderId: OTHER,
    clientId: `client-${conversationId.slice(-4)}-${seq}`,
    kind: 'text',
    body: `message ${seq}`,
    createdAt: 1_700_000_000_000 + seq,
    editedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

export function makeConversation(id: string, lastSeq: number): Conversation {
  return {
    id,
    kind: 'group',
    title: `conversation ${id.slice(-3)}`,
    members: [
      { userId: ME, role: 'owner', lastReadSeq: 0 },
      { userId: OTHER, role: 'member', lastReadSeq: 0 },
    ],
    lastSeq,
    lastMessage: null,
    unread: 0,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
  };
}

/** A welcome listing the given conversations with their lastSeq. */
export function makeWelcome(conversations: Record<string, number> = {}): WelcomeFrame {
  return {
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    user: { id: ME, username: 'me', displayName: 'Me', roles: ['employee'], disabled: false },
    permissions: ['im.chat'],
    conversations: Object.entries(conversations).map(([id, lastSeq]) => makeConversation(id, lastSeq)),
    presence: [],
    serverTime: 1_700_000_000_000,
  };
}

export function messageFrame(message: Message): ServerFrame {
  return { type: 'message', message };
}

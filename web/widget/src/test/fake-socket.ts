import type { VisitorClientFrame } from '../shared/protocol.js';
import type { SocketLike } from '../panel/connection.js';

/** A scripted WebSocket: tests open it, push server frames and read what the client sent. */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: VisitorClientFrame[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closedWith: number | undefined;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  static get last(): FakeSocket {
    const socket = FakeSocket.all.at(-1);
    if (!socket) throw new Error('no socket');
    return socket;
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as VisitorClientFrame);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.drop(code);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  push(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }
  drop(code = 1006): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
  types(): string[] {
    return this.sent.map((frame) => frame.type);
  }
}

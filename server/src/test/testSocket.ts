import { PROTOCOL_VERSION, type ServerFrame, type ServerFrameOf } from '@switchboard/protocol';
import WebSocket from 'ws';
import { FrameSocket } from './frameSocket.js';

/** A raw IM protocol client (/ws) for integration tests: any text out, the server's frames in. */
export class TestSocket extends FrameSocket<ServerFrame> {
  static async open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, { headers });
    const socket = new TestSocket(ws);
    await FrameSocket.opened(ws);
    return socket;
  }

  async hello(): Promise<ServerFrameOf<'welcome'>> {
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION });
    return this.next('welcome');
  }

  /** Sends a ping and waits for its pong: everything the server sent before it has arrived. */
  async roundTrip(): Promise<void> {
    const ref = `rt-${Math.random().toString(36).slice(2)}`;
    this.send({ type: 'ping', ref });
    await this.next('pong', (frame) => frame.ref === ref);
  }
}

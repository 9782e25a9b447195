import { PROTOCOL_VERSION, type ServerFrame, type ServerFrameOf } from '@switchboard/protocol';
import WebSocket from 'ws';

type Predicate = (frame: ServerFrame) => boolean;

/**
 * A raw protocol client for integration tests: sends any text (valid or not) and waits for the
 * frames the server sends back. Every wait has a deadline, so a missing frame fails the test
 * instead of hanging it.
 */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  private waiters: { predicate: Predicate; resolve: (frame: ServerFrame) => void }[] = [];
  closeCode: number | undefined;
  private readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.predicate(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      ws.once('error', reject);
    });
  }

  async hello(): Promise<ServerFrameOf<'welcome'>> {
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION });
    return this.next('welcome');
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame of `type` matching `where`, whether it already arrived or arrives later. */
  waitFor<T extends ServerFrame['type']>(type: T, where: (frame: ServerFrameOf<T>) => boolean = () => true, timeoutMs = 5000): Promise<ServerFrameOf<T>> {
    const already = this.received(type).find(where);
    return already ? Promise.resolve(already) : this.next(type, where, timeoutMs);
  }

  /** The next frame of `type` (optionally matching `where`) that arrives from now on. */
  next<T extends ServerFrame['type']>(type: T, where: (frame: ServerFrameOf<T>) => boolean = () => true, timeoutMs = 5000): Promise<ServerFrameOf<T>> {
    const predicate = (frame: ServerFrame) => frame.type === type && where(frame as ServerFrameOf<T>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame within ${timeoutMs} ms; got: ${this.frames.map((frame) => frame.type).join(',')}`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame as ServerFrameOf<T>);
        },
      });
    });
  }

  /** Frames of `type` received so far. */
  received<T extends ServerFrame['type']>(type: T): ServerFrameOf<T>[] {
    return this.frames.filter((frame): frame is ServerFrameOf<T> => frame.type === type);
  }

  /** Sends a ping and waits for its pong: everything the server sent before it has arrived. */
  async roundTrip(): Promise<void> {
    const ref = `rt-${Math.random().toString(36).slice(2)}`;
    this.send({ type: 'ping', ref });
    await this.next('pong', (frame) => frame.ref === ref);
  }

  whenClosed(): Promise<number> {
    return this.closed;
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closed;
  }

  terminate(): void {
    this.ws.terminate();
  }
}

import { VISITOR_PROTOCOL_VERSION, VisitorServerFrame, type PageInfo } from '@switchboard/protocol';
import WebSocket from 'ws';

type VisitorFrameOf<T extends VisitorServerFrame['type']> = Extract<VisitorServerFrame, { type: T }>;

export interface VisitorHello {
  siteKey?: string;
  token?: string;
  page?: Partial<PageInfo>;
  language?: string;
}

/**
 * A visitor widget for integration tests: a raw /visitor socket that sends any frame and waits
 * for the server's frames with deadlines (never sleeps).
 */
export class TestVisitor {
  readonly frames: VisitorServerFrame[] = [];
  /** Frames that did not match the protocol's schema (a widget would drop them): must stay empty. */
  readonly invalid: unknown[] = [];
  private waiters: { predicate: (frame: VisitorServerFrame) => boolean; resolve: (frame: VisitorServerFrame) => void }[] = [];
  private readonly closed: Promise<number>;
  /** The token from the last v.welcome. */
  token: string | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as VisitorServerFrame;
      if (!VisitorServerFrame.safeParse(frame).success) this.invalid.push(frame);
      this.frames.push(frame);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.predicate(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  /** Opens /visitor with the given Origin header (browsers always send one). */
  static open(baseUrl: string, origin: string | undefined, query = ''): Promise<TestVisitor> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/visitor${query}`, { headers: origin ? { origin } : {} });
      const visitor = new TestVisitor(ws);
      ws.once('open', () => resolve(visitor));
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      ws.once('error', reject);
    });
  }

  async hello(options: VisitorHello = {}): Promise<VisitorFrameOf<'v.welcome'>> {
    this.send({
      type: 'v.hello',
      ref: 'hello',
      protocol: VISITOR_PROTOCOL_VERSION,
      siteKey: options.siteKey ?? 'demo',
      ...(options.token ? { token: options.token } : {}),
      page: { url: 'https://shop.example/pricing', title: 'Pricing', referrer: 'https://search.example/', ...options.page },
      ...(options.language ? { language: options.language } : {}),
    });
    const welcome = await this.next('v.welcome');
    this.token = welcome.token;
    return welcome;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a frame with a ref and waits for the answer with that ref (v.ok, v.ack or v.error). */
  async request(frame: Record<string, unknown>): Promise<VisitorServerFrame> {
    const ref = `r-${Math.random().toString(36).slice(2)}`;
    const answer = this.nextAny((candidate) => 'ref' in candidate && candidate.ref === ref && candidate.type !== 'v.welcome');
    this.send({ ...frame, ref });
    return answer;
  }

  waitFor<T extends VisitorServerFrame['type']>(type: T, where: (frame: VisitorFrameOf<T>) => boolean = () => true, timeoutMs = 5000): Promise<VisitorFrameOf<T>> {
    const already = this.received(type).find(where);
    return already ? Promise.resolve(already) : this.next(type, where, timeoutMs);
  }

  next<T extends VisitorServerFrame['type']>(type: T, where: (frame: VisitorFrameOf<T>) => boolean = () => true, timeoutMs = 5000): Promise<VisitorFrameOf<T>> {
    return this.nextAny((frame) => frame.type === type && where(frame as VisitorFrameOf<T>), timeoutMs) as Promise<VisitorFrameOf<T>>;
  }

  private nextAny(predicate: (frame: VisitorServerFrame) => boolean, timeoutMs = 5000): Promise<VisitorServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching visitor frame within ${timeoutMs} ms; got: ${this.frames.map((frame) => frame.type).join(',')}`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  received<T extends VisitorServerFrame['type']>(type: T): VisitorFrameOf<T>[] {
    return this.frames.filter((frame): frame is VisitorFrameOf<T> => frame.type === type);
  }

  /** Everything the server sent before this returns has arrived. */
  async roundTrip(): Promise<void> {
    const ref = `rt-${Math.random().toString(36).slice(2)}`;
    this.send({ type: 'v.ping', ref });
    await this.next('v.pong', (frame) => frame.ref === ref);
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

import { VISITOR_PROTOCOL_VERSION, VisitorServerFrame, type PageInfo } from '@switchboard/protocol';
import WebSocket from 'ws';
import { FrameSocket } from './frameSocket.js';

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
export class TestVisitor extends FrameSocket<VisitorServerFrame> {
  /** Frames that did not match the protocol's schema (a widget would drop them): must stay empty. */
  readonly invalid: unknown[] = [];
  /** The token from the last v.welcome. */
  token: string | undefined;

  /** Opens /visitor with the given Origin header (browsers always send one). */
  static async open(baseUrl: string, origin: string | undefined, query = ''): Promise<TestVisitor> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/visitor${query}`, { headers: origin ? { origin } : {} });
    const visitor = new TestVisitor(ws);
    await FrameSocket.opened(ws);
    return visitor;
  }

  protected override inspect(frame: VisitorServerFrame): void {
    if (!VisitorServerFrame.safeParse(frame).success) this.invalid.push(frame);
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

  /** Sends a frame with a ref and waits for the answer with that ref (v.ok, v.ack or v.error). */
  async request(frame: Record<string, unknown>): Promise<VisitorServerFrame> {
    const ref = `r-${Math.random().toString(36).slice(2)}`;
    const answer = this.nextMatching((candidate) => 'ref' in candidate && candidate.ref === ref && candidate.type !== 'v.welcome');
    this.send({ ...frame, ref });
    return answer;
  }

  /** Everything the server sent before this returns has arrived. */
  async roundTrip(): Promise<void> {
    const ref = `rt-${Math.random().toString(36).slice(2)}`;
    this.send({ type: 'v.ping', ref });
    await this.next('v.pong', (frame) => frame.ref === ref);
  }
}

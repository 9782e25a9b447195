import type WebSocket from 'ws';

type FrameOf<F, T> = Extract<F, { type: T }>;

/**
 * A raw JSON-frame WebSocket for integration tests (the IM edge's TestSocket, the widget's
 * TestVisitor): sends any text, valid or not, and waits for the server's frames. Every wait has a
 * deadline, so a missing frame fails the test instead of hanging it.
 */
export class FrameSocket<F extends { type: string }> {
  readonly frames: F[] = [];
  closeCode: number | undefined;
  private waiters: { predicate: (frame: F) => boolean; resolve: (frame: F) => void }[] = [];
  private readonly closed: Promise<number>;

  protected constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as F;
      this.inspect(frame);
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

  /** Resolves once `ws` is open; rejects when the upgrade is refused. */
  protected static opened(ws: WebSocket): Promise<void> {
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Called with every frame as it arrives (a subclass checks it against the protocol). */
  protected inspect(_frame: F): void {}

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame of `type` matching `where`, whether it already arrived or arrives later. */
  waitFor<T extends F['type']>(type: T, where: (frame: FrameOf<F, T>) => boolean = () => true, timeoutMs = 5000): Promise<FrameOf<F, T>> {
    const already = this.received(type).find(where);
    return already ? Promise.resolve(already) : this.next(type, where, timeoutMs);
  }

  /** The next frame of `type` (optionally matching `where`) that arrives from now on. */
  next<T extends F['type']>(type: T, where: (frame: FrameOf<F, T>) => boolean = () => true, timeoutMs = 5000): Promise<FrameOf<F, T>> {
    return this.nextMatching((frame) => frame.type === type && where(frame as FrameOf<F, T>), timeoutMs, type) as Promise<FrameOf<F, T>>;
  }

  /** Frames of `type` received so far. */
  received<T extends F['type']>(type: T): FrameOf<F, T>[] {
    return this.frames.filter((frame): frame is FrameOf<F, T> => frame.type === type);
  }

  protected nextMatching(predicate: (frame: F) => boolean, timeoutMs = 5000, what = 'matching'): Promise<F> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} frame within ${timeoutMs} ms; got: ${this.frames.map((frame) => frame.type).join(',')}`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
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

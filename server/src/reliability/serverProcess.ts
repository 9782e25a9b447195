import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { REPO_ROOT, serverMain } from './harness.js';

/** Every child this worker started and has not seen exit; killed if the worker itself exits. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/** Registers a child process so it dies with this worker at the latest. */
export function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

export interface ServerProcessOptions {
  /** Settings for the node (DATABASE_URL, SWITCHBOARD_DATA, …); PORT/HOST/LOG_LEVEL are set here. */
  env: Record<string, string>;
  /** Fixed port, so clients reconnect to the same address after a restart. */
  port: number;
  name: string;
}

/**
 * The real server as a child process: `node server/dist/main.js --no-demo`. It can be started,
 * killed with SIGKILL at any moment and restarted on the same data and port. An exit the test did
 * not cause is recorded as a crash.
 */
export class ServerProcess {
  readonly url: string;
  readonly wsUrl: string;
  starts = 0;
  /** Exits nobody asked for: a crash, e.g. an unhandled error while the database was away. */
  readonly crashes: string[] = [];
  private child: ChildProcess | undefined;
  private expectExit = false;
  private readonly output: string[] = [];

  constructor(private readonly options: ServerProcessOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
    this.wsUrl = `ws://127.0.0.1:${options.port}/ws`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True while the child runs. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns and waits until the node prints that it is running. */
  async start(timeoutMs = 30_000): Promise<void> {
    this.spawn();
    await this.ready(timeoutMs);
  }

  /** Spawns without waiting (a kill may land during start-up). */
  spawn(): void {
    if (this.running) throw new Error(`${this.options.name}: already running`);
    this.expectExit = false;
    this.starts += 1;
    // SWITCHBOARD_FAULT_NODE_ARGS passes flags to the node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env.SWITCHBOARD_FAULT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, serverMain(), '--no-demo'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        // The copy of the build lives elsewhere; the web apps are still served from the repository.
        SWITCHBOARD_WEB_ROOT: REPO_ROOT,
        ...this.options.env,
        PORT: String(this.options.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: this.options.env.LOG_LEVEL ?? 'warn',
        SWITCHBOARD_NODE_ID: this.options.name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 32),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    this.child = child;
    let buffered = '';
    const readyPromise = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString();
        this.remember(chunk.toString());
        if (buffered.includes('Switchboard is running.')) {
          buffered = '';
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => this.remember(chunk.toString()));
      child.once('exit', (code, signal) => {
        reject(new Error(`${this.options.name} exited during start-up (code ${code}, signal ${signal})\n${this.tail()}`));
      });
    });
    readyPromise.catch(() => {});
    this.readyPromise = readyPromise;
    child.once('exit', (code, signal) => {
      if (!this.expectExit) this.crashes.push(`${this.options.name} exited unexpectedly (code ${code}, signal ${signal})\n${this.tail()}`);
    });
  }

  private readyPromise: Promise<void> | undefined;

  /** Resolves once the spawned node is listening. */
  ready(timeoutMs = 30_000): Promise<void> {
    const waiting = this.readyPromise;
    if (!waiting) return Promise.reject(new Error('not spawned'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.name} not ready within ${timeoutMs} ms\n${this.tail()}`)), timeoutMs);
      waiting.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** kill -9: no shutdown hook runs, nothing is flushed, sockets just vanish. */
  kill9(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** Graceful stop (SIGTERM: close sockets with 1012, commit queued sends); SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      await this.signal('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  private signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return Promise.resolve();
    this.expectExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    return exited;
  }

  /** Current and peak resident memory of the node, in MiB (Linux /proc). */
  memory(): { rssMiB: number; peakMiB: number } | undefined {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running) return undefined;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  async health(): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The last lines the node printed, for failure messages. */
  tail(): string {
    return this.output.join('').split('\n').slice(-40).join('\n');
  }

  private remember(text: string): void {
    // SWITCHBOARD_FAULT_LOG_DIR keeps each node's whole output, for digging into a failure.
    const dir = process.env.SWITCHBOARD_FAULT_LOG_DIR;
    if (dir) fs.appendFileSync(`${dir}/${this.options.name}.log`, text);
    this.output.push(text);
    if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
  }
}

import type { WidgetHost } from '../shared/bridge.js';
import { VISITOR_PROTOCOL, TYPING_TTL_MS, type ClientFrameOf, type ErrorBody, type PageInfo, type VisitorServerFrame } from '../shared/protocol.js';
import { storageKey } from '../shared/storage.js';
import { VisitorConnection, type ConnectionState, type SocketLike } from './connection.js';
import type { StartRequest } from './forms.js';
import type { MessageKey } from './i18n.js';
import { ChatModel } from './state.js';
import { clip } from './text.js';

const START_REF = 'start';
const OFFLINE_REF = 'offline';
const CLOSE_REF = 'close';
const SEND_REF = 's:';

export function visitorSocketUrl(serverOrigin: string): string {
  const url = new URL('/visitor', serverOrigin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export function errorMessageKey(error: Pick<ErrorBody, 'code'>): MessageKey {
  switch (error.code) {
    case 'rate_limited':
      return 'error.rateLimited';
    case 'origin_forbidden':
    case 'forbidden':
      return 'error.forbidden';
    case 'unsupported_version':
      return 'error.version';
    case 'not_found':
      return 'error.notFound';
    case 'unavailable':
      return 'error.unavailable';
    default:
      return 'error.generic';
  }
}

function currentPage(): PageInfo {
  return { url: clip(location.href, 2048), title: clip(document.title, 300), referrer: clip(document.referrer, 2048) };
}

const PATCHED = Symbol.for('switchboard.history');

/**
 * The panel's brain: feeds server frames to the model, sends what the visitor does, keeps the
 * outbox flowing across reconnects, and tells the launcher about unread messages and config.
 */
export class ChatController {
  readonly model = new ChatModel();
  connection: ConnectionState = 'connecting';
  /** A banner error (rate limit, unavailable…). */
  error: MessageKey | null = null;
  startError: MessageKey | null = null;
  offlineError: MessageKey | null = null;
  offlineSending = false;
  panelOpen = false;
  /** Connection attempts that failed in a row (the panel says so after a few). */
  failedAttempts = 0;
  private readonly conn: VisitorConnection;
  private readonly listeners = new Set<() => void>();
  private pendingStart: { request: StartRequest; clientId?: string } | null = null;
  private pendingOffline: ClientFrameOf<'v.offline'> | null = null;
  private readSent = 0;
  private typingSentAt = 0;
  private typingStopTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private errorTimer: ReturnType<typeof setTimeout> | undefined;
  private lastUrl = '';

  constructor(
    private readonly host: WidgetHost,
    createSocket?: (url: string) => SocketLike,
  ) {
    if (host.config) this.model.preload(host.config);
    this.conn = new VisitorConnection({
      url: visitorSocketUrl(host.serverOrigin),
      hello: () => {
        const token = host.store.token;
        this.lastUrl = location.href;
        return {
          type: 'v.hello',
          protocol: VISITOR_PROTOCOL,
          siteKey: host.siteKey,
          ...(token ? { token } : {}),
          page: currentPage(),
          language: clip(navigator.language || host.lang, 35),
        };
      },
      onFrame: (frame) => this.onFrame(frame),
      onState: (state) => {
        this.connection = state;
        this.emit();
      },
      onRetry: (attempt) => {
        this.failedAttempts = attempt;
        this.emit();
      },
      onUnauthorized: () => {
        host.store.token = null;
      },
      createSocket,
    });
  }

  /** Connects and starts watching the page (navigation, leaving, visibility). */
  start(): void {
    this.conn.connect();
    this.watchPage();
    addEventListener('pagehide', () => this.leave());
    addEventListener('online', () => this.conn.nudge());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      this.conn.nudge();
      this.markRead();
    });
    addEventListener('storage', (event) => {
      if (event.key === storageKey(this.host.siteKey, 'read')) this.updateUnread();
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private onFrame(frame: VisitorServerFrame): void {
    const { model, host } = this;
    switch (frame.type) {
      case 'v.welcome': {
        this.failedAttempts = 0;
        host.store.token = frame.token;
        host.setConfig(frame.config);
        if (this.error === 'error.notConnected') this.error = null;
        const { restart } = model.welcome(frame);
        if (model.chatOpen || model.phase === 'closed') this.pendingStart = null;
        if (restart) this.sendStart();
        host.store.chatOpen = model.chatOpen;
        this.readSent = 0;
        this.flush();
        this.markRead();
        this.updateUnread();
        break;
      }
      case 'v.chat':
        model.chatChanged(frame.chat);
        this.pendingStart = null;
        host.store.chatOpen = model.chatOpen;
        if (!model.chatOpen) this.setAgentTyping(false);
        this.flush();
        break;
      case 'v.message': {
        const agentMessage = model.message(frame.message);
        if (agentMessage) this.setAgentTyping(false);
        this.markRead();
        this.updateUnread();
        break;
      }
      case 'v.typing':
        this.setAgentTyping(frame.state === 'start');
        break;
      case 'v.ack':
        model.ack(frame);
        break;
      case 'v.ok':
        if (frame.ref === OFFLINE_REF && this.pendingOffline) this.offlineDone(this.pendingOffline.email);
        break;
      case 'v.error':
        this.onError(frame.error, frame.ref);
        break;
      default:
        break;
    }
    this.emit();
  }

  private onError(error: ErrorBody, ref: string | undefined): void {
    const key = errorMessageKey(error);
    if (error.code === 'unauthorized' && !ref) {
      // The stored token is unknown or expired: start over as a new visitor.
      this.host.store.token = null;
      this.host.store.chatOpen = false;
      this.conn.restart();
      return;
    }
    if (ref?.startsWith(SEND_REF)) {
      const clientId = ref.slice(SEND_REF.length);
      const entry = this.model.outbox.get(clientId);
      if (entry && error.retryable) {
        entry.sentOn = undefined;
        setTimeout(() => {
          this.flush();
          this.emit();
        }, 3000);
      } else this.model.outbox.fail(clientId);
      this.showError(key);
      return;
    }
    if (ref === START_REF) {
      if (error.retryable) {
        setTimeout(() => this.sendStart(), 3000);
        this.showError(key);
        return;
      }
      this.pendingStart = null;
      this.model.starting = false;
      this.model.outbox.clear();
      if (!this.model.chat) this.model.phase = this.model.config?.online === false ? 'offline' : 'intro';
      this.startError = key;
      return;
    }
    if (ref === OFFLINE_REF) {
      this.offlineFailed(key);
      return;
    }
    this.showError(key, error.code !== 'origin_forbidden' && error.code !== 'unsupported_version');
  }

  private showError(key: MessageKey, transient = true): void {
    this.error = key;
    clearTimeout(this.errorTimer);
    if (transient)
      this.errorTimer = setTimeout(() => {
        if (this.error === key) this.error = null;
        this.emit();
      }, 8000);
  }

  private setAgentTyping(typing: boolean): void {
    this.model.agentTyping = typing;
    clearTimeout(this.agentTypingTimer);
    // Typing is ephemeral: drop it if the agent's client stops repeating it.
    if (typing)
      this.agentTypingTimer = setTimeout(() => {
        this.model.agentTyping = false;
        this.emit();
      }, TYPING_TTL_MS);
  }

  /** Sends every pending outbox entry not yet sent on this connection (same client id: idempotent). */
  private flush(): void {
    if (this.conn.state !== 'ready' || !this.model.chatOpen) return;
    for (const entry of this.model.outbox.list()) {
      if (entry.state !== 'pending' || entry.sentOn === this.conn.generation) continue;
      if (this.conn.send({ type: 'v.send', ref: SEND_REF + entry.clientId, clientId: entry.clientId, body: entry.body })) entry.sentOn = this.conn.generation;
    }
  }

  private sendStart(): void {
    const pending = this.pendingStart;
    if (!pending) return;
    const frame: ClientFrameOf<'v.start'> = { type: 'v.start', ref: START_REF, ...pending.request };
    if (pending.clientId) frame.clientId = pending.clientId;
    if (this.conn.send(frame) && pending.clientId) {
      const entry = this.model.outbox.get(pending.clientId);
      if (entry) entry.sentOn = this.conn.generation;
    }
  }

  /** Starts a chat with the pre-chat answers (and first message, if any). */
  startChat(request: StartRequest): void {
    this.startError = null;
    const entry = request.message ? this.model.outbox.add(request.message) : null;
    this.pendingStart = { request, ...(entry ? { clientId: entry.clientId } : {}) };
    this.model.starting = true;
    this.model.phase = 'chat';
    this.sendStart();
    this.emit();
  }

  /** The composer: starts the chat with this first message, or sends it in the open chat. */
  send(text: string): void {
    const body = text.trim();
    if (!body) return;
    this.stopTyping();
    if (!this.model.chatOpen && !this.model.starting) {
      this.startChat({ message: body });
      return;
    }
    this.model.outbox.add(body);
    this.flush();
    this.emit();
  }

  typing(): void {
    if (!this.model.chatOpen) return;
    const now = Date.now();
    if (now - this.typingSentAt > 3000 && this.conn.send({ type: 'v.typing', state: 'start' })) this.typingSentAt = now;
    clearTimeout(this.typingStopTimer);
    this.typingStopTimer = setTimeout(() => this.stopTyping(), 2500);
  }

  private stopTyping(): void {
    clearTimeout(this.typingStopTimer);
    if (this.typingSentAt === 0) return;
    this.typingSentAt = 0;
    this.conn.send({ type: 'v.typing', state: 'stop' });
  }

  /** "End chat". The server answers with v.chat (closed). */
  endChat(): boolean {
    if (!this.model.chatOpen) return false;
    if (this.conn.send({ type: 'v.close', ref: CLOSE_REF })) return true;
    this.showError('error.notConnected');
    this.emit();
    return false;
  }

  /** "Start a new chat" after a closed one. */
  newChat(): void {
    this.pendingStart = null;
    this.startError = null;
    this.model.reset();
    this.host.store.chatOpen = false;
    this.emit();
  }

  /** The leave-a-message form: over the socket when it is up, else over HTTP (POST /api/visitor/offline). */
  sendOffline(values: { name: string; email: string; message: string; departmentId?: string }): void {
    this.offlineError = null;
    this.pendingOffline = { type: 'v.offline', ref: OFFLINE_REF, ...values };
    this.offlineSending = true;
    if (!this.conn.send(this.pendingOffline)) void this.postOffline(this.pendingOffline);
    this.emit();
  }

  private async postOffline(frame: ClientFrameOf<'v.offline'>): Promise<void> {
    const { type: _type, ref: _ref, ...values } = frame;
    const token = this.host.store.token;
    try {
      const response = await fetch(new URL('/api/visitor/offline', this.host.serverOrigin), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'omit',
        body: JSON.stringify({ siteKey: this.host.siteKey, ...(token ? { token } : {}), ...values, page: currentPage() }),
      });
      if (this.pendingOffline !== frame) return;
      if (response.ok) this.offlineDone(frame.email);
      else {
        const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
        this.offlineFailed(errorMessageKey({ code: (body?.error?.code ?? 'internal') as ErrorBody['code'] }));
      }
    } catch {
      if (this.pendingOffline === frame) this.offlineFailed('error.unavailable');
    }
    this.emit();
  }

  private offlineDone(email: string): void {
    this.model.offlineEmail = email;
    this.model.phase = 'offline-sent';
    this.pendingOffline = null;
    this.offlineSending = false;
  }

  private offlineFailed(key: MessageKey): void {
    this.pendingOffline = null;
    this.offlineSending = false;
    this.offlineError = key;
  }

  offlineAgain(): void {
    this.model.phase = this.model.config?.online === false || !this.model.config ? 'offline' : 'intro';
    this.emit();
  }

  setPanelOpen(open: boolean): void {
    this.panelOpen = open;
    this.markRead();
    this.updateUnread();
  }

  /** Tells the server (and other tabs) what the visitor has seen, while the panel is open and visible. */
  private markRead(): void {
    if (!this.panelOpen || document.visibilityState === 'hidden') return;
    const seq = this.model.lastSeq;
    if (seq > this.host.store.readSeq) this.host.store.readSeq = seq;
    if (seq > this.readSent && this.model.chat && this.conn.send({ type: 'v.read', seq })) this.readSent = seq;
  }

  private updateUnread(): void {
    this.host.setUnread(this.panelOpen ? 0 : this.model.unreadAfter(this.host.store.readSeq));
  }

  /** Single-page apps: tell the agent when the visitor navigates (history API, back/forward, hash). */
  private watchPage(): void {
    const check = () => {
      if (location.href === this.lastUrl) return;
      if (this.conn.send({ type: 'v.page', page: currentPage() })) this.lastUrl = location.href;
    };
    // Titles usually change just after the route: look a moment later.
    const soon = () => setTimeout(check, 300);
    addEventListener('popstate', soon);
    addEventListener('hashchange', soon);
    addEventListener('switchboard:navigate', soon);
    const marked = history as History & { [PATCHED]?: true };
    if (marked[PATCHED]) return;
    marked[PATCHED] = true;
    for (const name of ['pushState', 'replaceState'] as const) {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        dispatchEvent(new Event('switchboard:navigate'));
        return result;
      };
    }
  }

  /** The page goes away: let the server start the visitor's grace period now instead of on socket timeout. */
  private leave(): void {
    const token = this.host.store.token;
    if (!token || typeof navigator.sendBeacon !== 'function') return;
    try {
      navigator.sendBeacon(new URL('/api/visitor/leave', this.host.serverOrigin).href, JSON.stringify({ siteKey: this.host.siteKey, token }));
    } catch {
      /* best effort */
    }
  }
}

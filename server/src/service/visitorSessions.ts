import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ChatMessage, PageInfo, VisitorChatView, WidgetConfig } from '@switchboard/protocol';
import { AppError, errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import { queuedChat, type ChatRecord } from './store/chats.js';
import { isRetryableConflict, isUniqueViolation } from './store/util.js';
import type { VisitorRecord } from './store/visitors.js';
import { chatEvent, type SystemLines } from './announce.js';
import type { ChatClosing } from './closing.js';
import type { Notifier } from './notify.js';
import type { ChatQueue } from './queue.js';
import type { Sites } from './sites.js';
import { newMessageFromVisitor, settled } from './relay.js';
import { visitorMessage, type ChatViews } from './views.js';

/** Messages a (re)connecting widget gets with its welcome. */
const WELCOME_HISTORY = 200;

/** A visitor token: 32 random bytes, base64url. Only its sha256 is stored. */
export function newVisitorToken(): string {
  return randomBytes(32).toString('base64url');
}

export function visitorTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface HelloRequest {
  siteKey: string;
  token?: string | undefined;
  page: PageInfo;
  language?: string | undefined;
  userAgent: string | null;
  /** The page's Origin header and the origins that count as "self" for this request. */
  origin: string | undefined;
  selfOrigins: readonly string[];
}

export interface HelloResult {
  visitorId: string;
  siteId: string;
  token: string;
  config: WidgetConfig;
  chat: VisitorChatView | null;
  messages: ChatMessage[];
}

export interface StartRequest {
  name?: string | undefined;
  email?: string | undefined;
  departmentId?: string | undefined;
  fields?: Record<string, string> | undefined;
  /** The visitor's first message, stored with the chat it starts (a chat already open gets none from here). */
  firstMessage?: { clientId: string; body: string } | undefined;
}

export interface StartResult {
  /** The chat as it was created or found. */
  chat: ChatRecord;
  visitor: VisitorRecord;
  /** False when the chat was already open. */
  created: boolean;
  /** The visitor's view of the first message, when this start stored it with the chat. */
  message?: ChatMessage;
  /** The visitor's view of the chat when it was assigned as it was created (else route() it). */
  view?: VisitorChatView;
}

/**
 * Visitors (patent steps d and f). A visitor is known by a token the widget keeps: the same token
 * finds the same visitor and their open chat across reloads and tabs; a wrong or foreign token is
 * simply a new visitor. A page that closes (socket closed, beacon, missed heartbeats) starts a
 * grace period; the visitor counts as gone only if no socket of theirs shows up before it ends.
 */
export class VisitorSessions {
  constructor(
    private readonly repos: ServiceRepositories,
    private readonly sites: Sites,
    private readonly views: ChatViews,
    private readonly notify: Notifier,
    private readonly lines: SystemLines,
    private readonly queue: ChatQueue,
    private readonly closing: ChatClosing,
    private readonly options: { visitorGraceMs: number; visitorLeaseMs: number },
    private readonly now: () => number,
  ) {}

  async hello(request: HelloRequest): Promise<HelloResult> {
    const site = await this.sites.byKey(request.siteKey);
    if (!site) throw errors.notFound('Site');
    if (!this.sites.originAllowed(site, request.origin, request.selfOrigins)) {
      throw new AppError('origin_forbidden', 'This page may not use the chat widget of that site.');
    }
    let token = request.token;
    let visitor = token ? await this.repos.visitors.findByTokenHash(visitorTokenHash(token)) : undefined;
    if (visitor && visitor.siteId !== site.id) visitor = undefined;
    let chat: ChatRecord | undefined;
    if (!visitor || !token) {
      // A new visitor: no chat yet.
      token = newVisitorToken();
      visitor = await this.repos.visitors.create(
        { id: randomUUID(), siteId: site.id, tokenHash: visitorTokenHash(token), page: request.page, userAgent: request.userAgent, language: request.language ?? null },
        this.now(),
      );
    } else {
      await this.repos.visitors.update(visitor.id, { page: request.page, userAgent: request.userAgent, ...(request.language ? { language: request.language } : {}) });
      await this.present(visitor.id);
      chat = await this.repos.chats.openForVisitor(visitor.id);
      if (chat) await this.notify.chat(chat); // the page (and maybe "online") changed
    }
    const messages = chat ? (await this.repos.messages.before(chat.id, undefined, WELCOME_HISTORY, true)).messages.map(visitorMessage) : [];
    return {
      visitorId: visitor.id,
      siteId: site.id,
      token,
      config: await this.sites.widgetConfig(site),
      chat: chat ? await this.views.visitorView(chat) : null,
      messages,
    };
  }

  /**
   * Starts a chat (or returns the open one: a visitor has at most one). The pre-chat answers are
   * checked against the site's form. With nobody on duty the visitor is told to leave a message.
   * The answers, the chat and its first message are one unit of work: all stored, or none.
   */
  async start(visitorId: string, request: StartRequest): Promise<StartResult> {
    const visitor = await this.requireVisitor(visitorId);
    const open = await this.repos.chats.openForVisitor(visitorId);
    if (open) return { chat: open, visitor, created: false };

    const site = await this.sites.byId(visitor.siteId);
    if (!site) throw errors.notFound('Site');
    const fields: Record<string, string> = {};
    const issues: { path: string; message: string }[] = [];
    if (site.preChatEnabled) {
      for (const field of site.preChatFields) {
        const value = (field.key === 'name' ? request.name : field.key === 'email' ? request.email : request.fields?.[field.key])?.trim() ?? '';
        if (field.required && !value) issues.push({ path: field.key === 'name' || field.key === 'email' ? field.key : `fields.${field.key}`, message: `${field.label} is required.` });
        if (value && field.key !== 'name' && field.key !== 'email') fields[field.key] = value;
      }
    }
    if (issues.length > 0) throw errors.badRequest('Please fill in the form.', issues);
    const departmentId = request.departmentId ?? null;
    if (departmentId && !(await this.repos.departments.find(departmentId))) throw errors.notFound('Department');
    if (!(await this.repos.agents.anyOnDuty(departmentId))) {
      throw new AppError('unavailable', 'Nobody is online right now; please leave a message instead.');
    }

    const changes = {
      ...(request.name ? { name: request.name } : {}),
      ...(request.email ? { email: request.email } : {}),
      ...(Object.keys(fields).length > 0 ? { fields: { ...visitor.fields, ...fields } } : {}),
    };
    const updated = { ...visitor, ...changes };
    const now = this.now();
    const newChat = queuedChat({ id: randomUUID(), siteId: site.id, visitorId, departmentId }, now);
    const first = request.firstMessage;
    try {
      const { chat, message, assigned } = await this.queue.arrive(newChat, (seat) =>
        this.repos.writes.run(async (trx) => {
          // The chat before the visitor's row: a start racing another tab's waits on the open-chat
          // index without holding the visitor, whose row an assignment of that tab's chat updates
          // (PostgreSQL found that cycle a deadlock, and the tab an internal error).
          const chat = await this.repos.chats.createIn(trx, newChat, now);
          await this.repos.visitors.updateIn(trx, visitorId, changes);
          // A client id the visitor used in an earlier chat throws here, and nothing of the start is stored.
          const message = first && settled(await this.repos.messages.appendIn(trx, newMessageFromVisitor(chat, updated, first.clientId, first.body), now)).message;
          return { chat, message, assigned: seat && (await this.queue.assignArrivingIn(trx, chat, seat)) };
        }),
      );
      // Nobody was in the chat yet: only the visitor's other tabs hear of the message.
      if (message) await this.notify.message(chat, message, []);
      const view = assigned && (await this.queue.arrived(assigned));
      return { chat, visitor: updated, created: true, ...(message ? { message: visitorMessage(message) } : {}), ...(view ? { view } : {}) };
    } catch (error) {
      // Another tab started one at the same moment (one open chat per visitor is a unique index;
      // a deadlock with that chat's first writes ends the same way).
      const raced = isUniqueViolation(error) || isRetryableConflict(error) ? await this.repos.chats.openForVisitor(visitorId) : undefined;
      if (!raced) throw error;
      return { chat: raced, visitor: updated, created: false };
    }
  }

  view(chat: ChatRecord): Promise<VisitorChatView> {
    return this.views.visitorView(chat);
  }

  /** After start (and its first message) are stored: route it, longest waiter first. */
  async route(chatId: string): Promise<VisitorChatView | undefined> {
    const assigned = (await this.queue.drain()).get(chatId);
    if (assigned) return assigned;
    const chat = await this.repos.chats.find(chatId);
    return chat && this.views.visitorView(chat);
  }

  async page(visitorId: string, page: PageInfo): Promise<void> {
    await this.repos.visitors.update(visitorId, { page });
    const chat = await this.repos.chats.openForVisitor(visitorId);
    if (chat) await this.notify.chat(chat);
  }

  async read(visitorId: string, seq: number): Promise<void> {
    const chat = await this.repos.chats.openForVisitor(visitorId);
    if (chat) await this.repos.chats.markVisitorRead(chat.id, seq);
  }

  close(visitorId: string): Promise<void> {
    return this.closing.byVisitor(visitorId);
  }

  /** A socket of the visitor is live (hello on any node). */
  async present(visitorId: string): Promise<void> {
    if (await this.repos.visitors.present(visitorId, this.now())) await this.cameBack(visitorId);
  }

  /** The node's regular report of visitors with live sockets. */
  async presentMany(visitorIds: readonly string[]): Promise<void> {
    for (const visitorId of await this.repos.visitors.presentMany(visitorIds, this.now())) await this.cameBack(visitorId);
  }

  /** The visitor's last socket on a node closed, or the page sent its pagehide beacon. */
  async leaving(visitorId: string): Promise<void> {
    await this.repos.visitors.leaving(visitorId, this.now() + this.options.visitorGraceMs);
  }

  /** POST /api/visitor/leave: the beacon names the site and token. Unknown ones are ignored silently. */
  async leaveByToken(siteKey: string, token: string): Promise<void> {
    const visitor = await this.repos.visitors.findByTokenHash(visitorTokenHash(token));
    const site = visitor ? await this.sites.byKey(siteKey) : undefined;
    if (visitor && site && visitor.siteId === site.id) await this.leaving(visitor.id);
  }

  /** The visitor behind a token of the site, if any (for the HTTP offline form). */
  async byToken(siteKey: string, token: string | undefined): Promise<VisitorRecord | undefined> {
    if (!token) return undefined;
    const visitor = await this.repos.visitors.findByTokenHash(visitorTokenHash(token));
    const site = visitor ? await this.sites.byKey(siteKey) : undefined;
    return visitor && site && visitor.siteId === site.id ? visitor : undefined;
  }

  /** Sweeper: visitors whose grace period ran out are gone; the agent sees "visitor left". */
  async sweepDepartures(): Promise<void> {
    const now = this.now();
    const staleBefore = now - this.options.visitorLeaseMs;
    for (const visitorId of await this.repos.visitors.dueToLeave(now, staleBefore, 200)) {
      if (!(await this.repos.visitors.markGone(visitorId, now, staleBefore))) continue;
      const chat = await this.repos.chats.openForVisitor(visitorId);
      if (!chat) continue;
      if (chat.status === 'queued') {
        // Nobody ever answered: the chat ends as missed.
        await this.closing.close(chat.id, 'system', chatEvent('chat_closed_missed'));
        continue;
      }
      const fresh = await this.notify.chat(chat);
      if (fresh) await this.lines.post(fresh, chatEvent('visitor_left'), false);
    }
  }

  async requireVisitor(visitorId: string): Promise<VisitorRecord> {
    const visitor = await this.repos.visitors.find(visitorId);
    if (!visitor) throw errors.notFound('Visitor');
    return visitor;
  }

  private async cameBack(visitorId: string): Promise<void> {
    const chat = await this.repos.chats.openForVisitor(visitorId);
    if (!chat) return;
    const fresh = await this.notify.chat(chat);
    if (fresh) await this.lines.post(fresh, chatEvent('visitor_returned'), false);
  }
}

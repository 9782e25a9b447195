import { randomBytes, randomUUID } from 'node:crypto';
import type { CreateSiteRequest, Department, UpdateSiteRequest, WidgetConfig } from '@switchboard/protocol';
import { errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import type { SiteRecord } from './store/sites.js';
import { isUniqueViolation } from './store/util.js';
import { ReadCache } from './readCache.js';

/**
 * How long the widget edge reuses a read of a site or of the departments (another node's admin
 * changes reach this node's widgets within this; this node's own changes at once).
 */
export const CACHE_MS = 3000;
/**
 * How long "anyone on duty?" is reused for widget settings. A duty change on this node forgets it
 * at once; other nodes' widgets may show the old answer this long, and a chat started meanwhile is
 * checked afresh (VisitorSessions.start).
 */
export const ONLINE_CACHE_MS = 1000;

export const DEFAULT_COLOR = '#2563eb';
export const DEFAULT_GREETING = 'Hi! How can we help you today?';

/**
 * Widget sites: which pages may embed the widget (allowed origins), how it looks, and its pre-chat
 * form. "self" in the allowed origins stands for the server's own origin.
 */
export class Sites {
  private readonly byKeyCache: ReadCache<SiteRecord | undefined>;
  private readonly byIdCache: ReadCache<SiteRecord | undefined>;
  private readonly departmentsCache: ReadCache<readonly Department[]>;
  private readonly onlineCache: ReadCache<boolean>;

  constructor(
    private readonly repos: ServiceRepositories,
    private readonly now: () => number,
  ) {
    this.byKeyCache = new ReadCache(CACHE_MS, now);
    this.byIdCache = new ReadCache(CACHE_MS, now);
    this.departmentsCache = new ReadCache(CACHE_MS, now);
    this.onlineCache = new ReadCache(ONLINE_CACHE_MS, now);
  }

  byKey(siteKey: string): Promise<SiteRecord | undefined> {
    return this.byKeyCache.get(siteKey, () => this.repos.sites.findByKey(siteKey));
  }

  byId(id: string): Promise<SiteRecord | undefined> {
    return this.byIdCache.get(id, () => this.repos.sites.find(id));
  }

  /** The departments a widget offers (ServiceAdmin forgets them when it changes one). */
  private departments(): Promise<readonly Department[]> {
    return this.departmentsCache.get('', () => this.repos.departments.list());
  }

  forgetDepartments(): void {
    this.departmentsCache.forget('');
  }

  /** Whether anyone is on duty, for widget settings (AgentDuty forgets it when a duty changes). */
  private online(): Promise<boolean> {
    return this.onlineCache.get('', () => this.repos.agents.anyOnDuty(null));
  }

  forgetOnline(): void {
    this.onlineCache.forget('');
  }

  /**
   * True when a page at `origin` may use the site's widget. `selfOrigins` are the origins of this
   * server (its public URL and the Host the request came to).
   */
  originAllowed(site: SiteRecord, origin: string | undefined, selfOrigins: readonly string[]): boolean {
    if (!origin || origin === 'null') return false;
    return site.allowedOrigins.some((allowed) => (allowed === 'self' ? selfOrigins.includes(origin) : allowed === origin));
  }

  /** The public widget settings, with whether anyone is on duty right now. */
  async widgetConfig(site: SiteRecord): Promise<WidgetConfig> {
    const [departments, online] = await Promise.all([this.departments(), this.online()]);
    return {
      siteKey: site.siteKey,
      name: site.name,
      color: site.color,
      greeting: site.greeting,
      preChatEnabled: site.preChatEnabled,
      preChatFields: site.preChatFields,
      departments: [...departments], // the cached list is shared: each config gets its own copy
      online,
    };
  }

  list(): Promise<SiteRecord[]> {
    return this.repos.sites.list();
  }

  async create(request: CreateSiteRequest): Promise<SiteRecord> {
    const now = this.now();
    const site: SiteRecord = {
      id: randomUUID(),
      siteKey: request.siteKey ?? randomBytes(9).toString('base64url'),
      name: request.name,
      allowedOrigins: [...new Set(request.allowedOrigins)],
      color: request.color ?? DEFAULT_COLOR,
      greeting: request.greeting ?? DEFAULT_GREETING,
      preChatEnabled: request.preChatEnabled ?? false,
      preChatFields: uniqueFields(request.preChatFields ?? []),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.repos.sites.create(site);
    } catch (error) {
      if (isUniqueViolation(error)) throw errors.conflict(`The site key "${site.siteKey}" is taken.`);
      throw error;
    }
    this.byKeyCache.forget(site.siteKey);
    return site;
  }

  async update(id: string, request: UpdateSiteRequest): Promise<SiteRecord> {
    const before = await this.repos.sites.find(id);
    if (!before) throw errors.notFound('Site');
    let site: SiteRecord | undefined;
    try {
      site = await this.repos.sites.update(
        id,
        {
          ...request,
          ...(request.allowedOrigins ? { allowedOrigins: [...new Set(request.allowedOrigins)] } : {}),
          ...(request.preChatFields ? { preChatFields: uniqueFields(request.preChatFields) } : {}),
        },
        this.now(),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw errors.conflict(`The site key "${request.siteKey ?? ''}" is taken.`);
      throw error;
    }
    if (!site) throw errors.notFound('Site');
    this.byKeyCache.forget(before.siteKey);
    this.byKeyCache.forget(site.siteKey);
    this.byIdCache.forget(id);
    return site;
  }

  async remove(id: string): Promise<void> {
    const site = await this.repos.sites.find(id);
    if (!site || !(await this.repos.sites.delete(id))) throw errors.notFound('Site');
    this.byKeyCache.forget(site.siteKey);
    this.byIdCache.forget(id);
  }
}

function uniqueFields<T extends { key: string }>(fields: readonly T[]): T[] {
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const field of fields) {
    if (seen.has(field.key)) throw errors.badRequest(`The pre-chat field "${field.key}" appears twice.`);
    seen.add(field.key);
    unique.push(field);
  }
  return unique;
}

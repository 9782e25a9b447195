/*
 * Where the widget keeps state in the host page's storage. Every key is scoped to the site key,
 * so two widgets (two sites) on one origin never share a visitor token.
 */

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const storageKey = (siteKey: string, name: 'token' | 'chat' | 'read' | 'panel'): string => `switchboard:${siteKey}:${name}`;

/** localStorage / sessionStorage may throw (blocked cookies, Safari private mode): never let that break the page. */
export function safeStorage(pick: () => Storage): StorageLike | null {
  try {
    const storage = pick();
    const probe = 'switchboard:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

export class WidgetStore {
  constructor(
    private readonly siteKey: string,
    /** localStorage: shared by tabs, survives reloads. */
    private readonly local: StorageLike | null,
    /** sessionStorage: this tab only. */
    private readonly session: StorageLike | null,
  ) {}

  private get(storage: StorageLike | null, name: Parameters<typeof storageKey>[1]): string | null {
    try {
      return storage?.getItem(storageKey(this.siteKey, name)) ?? null;
    } catch {
      return null;
    }
  }

  private set(storage: StorageLike | null, name: Parameters<typeof storageKey>[1], value: string | null): void {
    try {
      if (value === null) storage?.removeItem(storageKey(this.siteKey, name));
      else storage?.setItem(storageKey(this.siteKey, name), value);
    } catch {
      /* storage full or blocked: the widget still works for this page view */
    }
  }

  /** The visitor token, if a well-formed one is stored. */
  get token(): string | null {
    const token = this.get(this.local, 'token');
    return token && TOKEN.test(token) ? token : null;
  }
  set token(token: string | null) {
    this.set(this.local, 'token', token);
  }

  /** True while the visitor has a chat that is not closed: the loader then loads the panel at once. */
  get chatOpen(): boolean {
    return this.get(this.local, 'chat') === 'open' && this.token !== null;
  }
  set chatOpen(open: boolean) {
    this.set(this.local, 'chat', open ? 'open' : null);
  }

  /** Highest message seq the visitor has seen (for the unread badge). */
  get readSeq(): number {
    const value = Number(this.get(this.local, 'read'));
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  }
  set readSeq(seq: number) {
    this.set(this.local, 'read', seq > 0 ? String(seq) : null);
  }

  /** Whether the panel was open in this tab, so it stays open across page navigations. */
  get panelOpen(): boolean {
    return this.get(this.session, 'panel') === 'open';
  }
  set panelOpen(open: boolean) {
    this.set(this.session, 'panel', open ? 'open' : null);
  }
}

/**
 * Which browser origins may open the IM WebSocket or send cookie-authenticated writes: the
 * server's own origin (as the browser reached it) plus the configured public URL and extras.
 * This is the defence against cross-site WebSocket hijacking and CSRF.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(publicUrl: string | undefined, extraOrigins: readonly string[]) {
    this.allowed = new Set([...(publicUrl ? [new URL(publicUrl).origin] : []), ...extraOrigins.map((origin) => origin.replace(/\/$/, ''))]);
  }

  /** True when `origin` is the origin of `host` itself or one of the configured origins. */
  isAllowed(origin: string | undefined, host: string | undefined): boolean {
    if (!origin) return false;
    if (this.allowed.has(origin)) return true;
    if (!host) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  }
}

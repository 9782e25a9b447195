import { createHash, randomBytes } from 'node:crypto';
import { permissionsFor, type LoginResponse, type Permission } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';
import { AppError, errors } from '../errors.js';
import type { ImRepositories } from '../store/index.js';
import { publicUser, type UserRecord } from '../store/repositories/users.js';
import { LoginThrottle } from './loginThrottle.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.js';

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}

export interface AuthContext {
  user: UserRecord;
  permissions: Permission[];
  sessionId: string;
}

/** Sessions are random 256-bit tokens; only their sha256 is stored, so a database leak logs nobody in. */
export function sessionIdFor(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class AuthService {
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly repos: ImRepositories,
    private readonly bus: Bus,
    private readonly sessionTtlMs: number,
  ) {}

  /** Patent step a/b: authenticate, then answer with the user's permissions. */
  async login(username: string, password: string, meta: RequestMeta): Promise<LoginResponse> {
    const name = username.trim().toLowerCase();
    const now = Date.now();
    const verdict = this.throttle.check(name, meta.ip, now);
    if (verdict === 'locked') throw new AppError('account_locked', 'Too many failed logins; this account is locked for a while.');
    if (verdict === 'rate_limited') throw errors.rateLimited('Too many login attempts from this address; wait a few minutes.');

    const user = await this.repos.users.findByUsername(name);
    const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await decoyPasswordHash(), password);
    if (!user || !valid || user.disabled) {
      this.throttle.recordFailure(name, now);
      // Only a real username is recorded: people type passwords into the username field.
      await this.repos.audit.record({ actorId: user?.id ?? null, action: 'login.failed', target: user?.username ?? null, detail: user ? undefined : { unknownUser: true }, ip: meta.ip }, now);
      throw new AppError('invalid_credentials', 'Wrong username or password.');
    }
    this.throttle.recordSuccess(name);

    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.sessionTtlMs;
    await this.repos.sessions.create({ id: sessionIdFor(token), userId: user.id, createdAt: now, expiresAt, userAgent: meta.userAgent, ip: meta.ip });
    await this.repos.audit.record({ actorId: user.id, action: 'login', target: user.username, ip: meta.ip }, now);
    return { user: publicUser(user), permissions: permissionsFor(user.roles), token, expiresAt };
  }

  /** The user and permissions behind a token, or undefined if the token is unknown, expired or its user disabled. */
  async authenticate(token: string | undefined): Promise<AuthContext | undefined> {
    if (!token || token.length > 128) return undefined;
    const sessionId = sessionIdFor(token);
    const user = await this.repos.sessions.userOfValid(sessionId, Date.now());
    if (!user || user.disabled) return undefined;
    return { user, permissions: permissionsFor(user.roles), sessionId };
  }

  async logout(sessionId: string): Promise<void> {
    await this.repos.sessions.delete(sessionId);
    this.bus.publish('sessions.ended', { sessionIds: [sessionId], reason: 'logged_out' });
  }

  /** Changes the password and ends every other session of the user. */
  async changePassword(auth: AuthContext, currentPassword: string, newPassword: string, meta: RequestMeta): Promise<void> {
    if (!(await verifyPassword(auth.user.passwordHash, currentPassword))) {
      throw new AppError('invalid_credentials', 'The current password is wrong.');
    }
    const now = Date.now();
    await this.repos.users.update(auth.user.id, { passwordHash: await hashPassword(newPassword) }, now);
    await this.endSessions(auth.user.id, 'password_changed', auth.sessionId);
    await this.repos.audit.record({ actorId: auth.user.id, action: 'password.changed', target: auth.user.username, ip: meta.ip }, now);
  }

  /** Ends the user's sessions (all, or all but `keepSessionId`) and closes their sockets on every node. */
  async endSessions(userId: string, reason: string, keepSessionId?: string): Promise<void> {
    const ended = await this.repos.sessions.deleteForUser(userId, keepSessionId);
    if (ended.length > 0) this.bus.publish('sessions.ended', { sessionIds: ended, reason });
  }
}

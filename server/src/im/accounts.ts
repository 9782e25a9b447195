import { randomUUID } from 'node:crypto';
import type { CreateUserRequest, Role, UpdateUserRequest, User } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';
import { errors } from '../errors.js';
import type { ImRepositories } from '../store/index.js';
import { publicUser } from '../store/repositories/users.js';
import type { AuthService } from './auth.js';
import { hashPassword } from './passwords.js';

/** Admin operations on accounts. Every change is audited; disabling ends the user's sessions at once. */
export class AccountService {
  constructor(
    private readonly repos: ImRepositories,
    private readonly auth: AuthService,
    private readonly bus: Bus,
  ) {}

  async list(): Promise<User[]> {
    return (await this.repos.users.list()).map(publicUser);
  }

  async create(actorId: string | null, request: CreateUserRequest): Promise<User> {
    if (await this.repos.users.findByUsername(request.username)) throw errors.conflict(`The username "${request.username}" is taken.`);
    const now = Date.now();
    const user = await this.repos.users.create(
      {
        id: randomUUID(),
        username: request.username,
        displayName: request.displayName,
        passwordHash: await hashPassword(request.password),
        roles: uniqueRoles(request.roles),
      },
      now,
    );
    await this.repos.audit.record({ actorId, action: 'user.created', target: user.username, detail: { roles: user.roles } }, now);
    this.announce(user);
    return publicUser(user);
  }

  async update(actorId: string, userId: string, request: UpdateUserRequest): Promise<User> {
    const existing = await this.repos.users.findById(userId);
    if (!existing) throw errors.notFound('User');
    if (actorId === userId && (request.disabled === true || (request.roles && !request.roles.includes('admin')))) {
      throw errors.badRequest('You cannot disable yourself or remove your own admin role.');
    }
    const now = Date.now();
    const updated = await this.repos.users.update(
      userId,
      {
        ...(request.displayName !== undefined ? { displayName: request.displayName } : {}),
        ...(request.roles !== undefined ? { roles: uniqueRoles(request.roles) } : {}),
        ...(request.disabled !== undefined ? { disabled: request.disabled } : {}),
        ...(request.password !== undefined ? { passwordHash: await hashPassword(request.password) } : {}),
      },
      now,
    );
    if (!updated) throw errors.notFound('User');
    if (request.disabled === true) await this.auth.endSessions(userId, 'account_disabled');
    else if (request.password !== undefined) await this.auth.endSessions(userId, 'password_reset');
    const changed = Object.keys(request).filter((key) => key !== 'password');
    await this.repos.audit.record(
      { actorId, action: 'user.updated', target: updated.username, detail: { changed, passwordReset: request.password !== undefined } },
      now,
    );
    this.announce(updated);
    return publicUser(updated);
  }

  /** Creates the first admin when the database has no users; returns the password if it was generated. */
  async ensureAdmin(password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.repos.users.count()) > 0) return { created: false };
    const generated = password ? undefined : randomPassword();
    await this.create(null, { username: 'admin', displayName: 'Administrator', password: password ?? generated ?? '', roles: ['admin'] });
    return generated ? { created: true, generatedPassword: generated } : { created: true };
  }

  private announce(user: Parameters<typeof publicUser>[0]): void {
    this.bus.publish('deliver', { recipients: { everyone: true }, frame: { type: 'user', user: publicUser(user) } });
  }
}

function uniqueRoles(roles: readonly Role[]): Role[] {
  return [...new Set(roles)];
}

/** 16 characters from an alphabet without look-alikes (~94 bits). */
export function randomPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

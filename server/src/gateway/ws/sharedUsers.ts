import type { Permission } from '@switchboard/protocol';
import type { AuthContext } from '../../im/auth.js';
import type { UserRecord } from '../../store/repositories/users.js';

interface SharedUser {
  user: UserRecord;
  permissions: Permission[];
  /** Open sockets of this user on this node. */
  sockets: number;
}

/**
 * One user record and permission list per user for all of that user's sockets on this node, not
 * a copy per socket (each upgrade reads its own). A socket shares the record its user's other
 * sockets hold when its own read says the same; otherwise its fresh record becomes the shared
 * one. Sockets already open keep the record they had, as they did with copies.
 */
export class SharedUsers {
  private readonly byId = new Map<string, SharedUser>();

  /** The context the connection keeps; call release() with the user id when it closes. */
  share(auth: AuthContext): AuthContext {
    const shared = this.byId.get(auth.user.id);
    if (!shared) {
      this.byId.set(auth.user.id, { user: auth.user, permissions: auth.permissions, sockets: 1 });
      return auth;
    }
    shared.sockets += 1;
    if (!sameUser(shared.user, auth.user)) {
      shared.user = auth.user;
      shared.permissions = auth.permissions;
      return auth;
    }
    return { user: shared.user, permissions: shared.permissions, sessionId: auth.sessionId };
  }

  release(userId: string): void {
    const shared = this.byId.get(userId);
    if (!shared) return;
    shared.sockets -= 1;
    if (shared.sockets <= 0) this.byId.delete(userId);
  }
}

/** Field by field (arrays element by element), so a field added to users later is compared too. */
function sameUser(a: UserRecord, b: UserRecord): boolean {
  const keys = Object.keys(a) as (keyof UserRecord)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x: unknown = a[key];
    const y: unknown = b[key];
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((item, i) => item === y[i]);
    return x === y;
  });
}

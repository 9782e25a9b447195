import type { Kysely, Selectable } from 'kysely';
import { Role, type User } from '@switchboard/protocol';
import type { Database, UsersTable } from '../schema.js';

export interface UserRecord extends User {
  passwordHash: string;
}

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
}

export interface UserChanges {
  displayName?: string;
  roles?: Role[];
  disabled?: boolean;
  passwordHash?: string;
}

export interface UserRepository {
  create(user: NewUser, now: number): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /** Only ids that exist and are not disabled, in input order. */
  filterActive(ids: readonly string[]): Promise<string[]>;
  update(id: string, changes: UserChanges, now: number): Promise<UserRecord | undefined>;
  count(): Promise<number>;
}

export function createUserRepository(db: Kysely<Database>): UserRepository {
  return {
    async create(user, now) {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          display_name: user.displayName,
          password_hash: user.passwordHash,
          roles: user.roles.join(','),
          disabled: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles, disabled: false, passwordHash: user.passwordHash };
    },
    async findById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async findByUsername(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
      return row && toUser(row);
    },
    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('display_name').execute();
      return rows.map(toUser);
    },
    async filterActive(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('users').select('id').where('id', 'in', [...ids]).where('disabled', '=', 0).execute();
      const active = new Set(rows.map((row) => row.id));
      return ids.filter((id) => active.has(id));
    },
    async update(id, changes, now) {
      await db
        .updateTable('users')
        .set({
          updated_at: now,
          ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
          ...(changes.roles !== undefined ? { roles: changes.roles.join(',') } : {}),
          ...(changes.disabled !== undefined ? { disabled: changes.disabled ? 1 : 0 } : {}),
          ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
        })
        .where('id', '=', id)
        .execute();
      return this.findById(id);
    },
    async count() {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles.split(',').filter((role): role is Role => Role.safeParse(role).success),
    disabled: row.disabled === 1,
    passwordHash: row.password_hash,
  };
}

/** The public view of a user: never the password hash. */
export function publicUser(user: UserRecord): User {
  return { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles, disabled: user.disabled };
}

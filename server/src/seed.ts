import type { Role } from '@switchboard/protocol';
import { randomPassword, type AccountService } from './im/accounts.js';

export interface SeededLogin {
  username: string;
  password: string;
  roles: Role[];
}

const DEMO_PEOPLE: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'alice', displayName: 'Alice Agent', roles: ['agent'] },
  { username: 'bob', displayName: 'Bob Agent', roles: ['agent'] },
  { username: 'carol', displayName: 'Carol Employee', roles: ['employee'] },
  { username: 'dave', displayName: 'Dave Employee', roles: ['employee'] },
];

/** What the seed needs of the customer-service system: make a user a CS agent (default priority and capacity). */
export interface AgentSeeder {
  ensureAgent(userId: string, displayName: string): Promise<void>;
}

/**
 * On an empty database: the first admin and, unless disabled, a demo workspace whose agents (alice,
 * bob) are CS agents with defaults (the demo site, its "General" department and the routing
 * settings are created by the CS system on first start). Returns the new logins.
 */
export async function seedIfEmpty(accounts: AccountService, adminPassword: string | undefined, withDemo: boolean, service?: AgentSeeder): Promise<SeededLogin[]> {
  const admin = await accounts.ensureAdmin(adminPassword);
  if (!admin.created) return [];
  const logins: SeededLogin[] = [{ username: 'admin', password: admin.generatedPassword ?? '(from SWITCHBOARD_ADMIN_PASSWORD)', roles: ['admin'] }];
  if (!withDemo) return logins;
  for (const person of DEMO_PEOPLE) {
    const password = randomPassword();
    const user = await accounts.create(null, { ...person, password });
    if (service && person.roles.includes('agent')) await service.ensureAgent(user.id, user.displayName);
    logins.push({ username: person.username, password, roles: person.roles });
  }
  return logins;
}

// Bench-only fast setup: users, sessions and conversations written straight into a fresh store.
//
// Creating thousands of users through the admin API costs one argon2 hash each (~50 ms), so the
// harness hashes one password once and inserts rows in bulk through the server's own store and
// schema (migrations run as on a real start). Sessions are real: random 256-bit tokens whose
// sha256 is stored, exactly as a login stores them, so every benchmark socket authenticates
// through the server's real upgrade path. One seeded user also logs in over HTTP as a check that
// the precomputed hash is a real one.

import { randomBytes, randomUUID } from 'node:crypto';
import { importServer } from './dist.mjs';

export const BENCH_PASSWORD = 'bench-password-0123';
const CHUNK = 500;

/**
 * Seeds one dataset and returns its fixture. `spec` lists groups of users, each with a layout:
 *   { name, count, roles?, sessionsPerUser?, dmOffsets?: number[], groupSize?, groupsPerUser? }
 * DMs join user i with i+offset (ring); groups partition a shuffled copy of the users.
 * Pairs `{ name, count }` in spec.pairs make `count` (receiver, sender) users sharing one DM.
 * `spec.service` ({ agents: group name, maxChats, siteKey, origin }) gives that group's users a
 * customer-service record (off duty, `maxChats` seats) and adds a widget site for `origin`.
 */
export async function seed(storeOptions, spec, dist) {
  const { openStore } = await importServer('store/index.js', dist);
  const { sessionIdFor } = await importServer('im/auth.js', dist);
  const { hashPassword } = await importServer('im/passwords.js', dist);
  const { newAgentRow } = await importServer('service/store/agents.js', dist);
  const store = await openStore(storeOptions);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const now = Date.now();
  const users = [];
  const sessions = [];
  const conversations = [];
  const fixture = { users: [], conversations: [], groups: {} };

  const addUser = (prefix, index, roles = 'employee') => {
    const id = randomUUID();
    const username = `${prefix}${index}`;
    users.push({ id, username, display_name: `Bench ${prefix} ${index}`, password_hash: passwordHash, roles, disabled: 0, created_at: now, updated_at: now });
    fixture.users.push({ id, username, tokens: [] });
    return fixture.users.length - 1;
  };
  const addSession = (userIndex) => {
    const token = randomBytes(32).toString('base64url');
    sessions.push({ id: sessionIdFor(token), user_id: fixture.users[userIndex].id, created_at: now, expires_at: now + 7 * 24 * 3600_000, user_agent: 'switchboard-bench', ip: '127.0.0.1' });
    fixture.users[userIndex].tokens.push(token);
  };
  const addConversation = (kind, memberIndexes, title = null) => {
    const id = randomUUID();
    const memberIds = memberIndexes.map((index) => fixture.users[index].id);
    conversations.push({
      row: { id, kind, title, direct_key: kind === 'direct' ? [...memberIds].sort().join(':') : null, created_by: memberIds[0], created_at: now, updated_at: now, last_seq: 0 },
      members: memberIds.map((userId, position) => ({ conversation_id: id, user_id: userId, role: kind === 'group' && position === 0 ? 'owner' : 'member', joined_at: now, last_read_seq: 0 })),
    });
    fixture.conversations.push({ id, kind, members: memberIndexes });
    return fixture.conversations.length - 1;
  };

  for (const group of spec.groups) {
    const first = fixture.users.length;
    for (let i = 0; i < group.count; i += 1) {
      const index = addUser(group.name, i, group.roles);
      for (let s = 0; s < (group.sessionsPerUser ?? 1); s += 1) addSession(index);
    }
    const indexes = Array.from({ length: group.count }, (_, i) => first + i);
    fixture.groups[group.name] = { first, count: group.count };
    const pairs = new Set();
    for (const offset of group.dmOffsets ?? []) {
      for (let i = 0; i < group.count; i += 1) {
        const a = first + i;
        const b = first + ((i + offset) % group.count);
        const key = a < b ? `${a}:${b}` : `${b}:${a}`;
        if (a === b || pairs.has(key)) continue;
        pairs.add(key);
        addConversation('direct', [a, b]);
      }
    }
    for (let round = 0; round < (group.groupsPerUser ?? 0); round += 1) {
      const shuffled = shuffle([...indexes]);
      for (let i = 0; i + 1 < shuffled.length; i += group.groupSize) {
        const members = shuffled.slice(i, i + group.groupSize);
        if (members.length >= 2) addConversation('group', members, `Bench group ${round}-${i / group.groupSize}`);
      }
    }
  }
  for (const pairSpec of spec.pairs ?? []) {
    fixture.groups[pairSpec.name] = { first: fixture.users.length, count: pairSpec.count * 2, pairs: [] };
    for (let i = 0; i < pairSpec.count; i += 1) {
      const receiver = addUser(`${pairSpec.name}r`, i);
      const sender = addUser(`${pairSpec.name}s`, i);
      addSession(receiver);
      addSession(sender);
      const conversation = addConversation('direct', [receiver, sender]);
      fixture.groups[pairSpec.name].pairs.push({ receiver, sender, conversation });
    }
  }

  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < users.length; i += CHUNK) await trx.insertInto('users').values(users.slice(i, i + CHUNK)).execute();
    for (let i = 0; i < sessions.length; i += CHUNK) await trx.insertInto('sessions').values(sessions.slice(i, i + CHUNK)).execute();
    const rows = conversations.map((conversation) => conversation.row);
    for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('conversations').values(rows.slice(i, i + CHUNK)).execute();
    const members = conversations.flatMap((conversation) => conversation.members);
    for (let i = 0; i < members.length; i += CHUNK) await trx.insertInto('conversation_members').values(members.slice(i, i + CHUNK)).execute();
    if (spec.service) fixture.site = await seedService(trx, spec.service, fixture, users, now, newAgentRow);
  });
  // A running deployment's tables have statistics; freshly seeded ones have none until autovacuum
  // comes by (up to a minute later), and plans made without them are not what production runs.
  if (store.postgres) await store.postgres.query('analyze');
  await store.close();
  return fixture;
}

/** Customer-service rows: the agents' records (as their first duty.set would create them) and one widget site. */
async function seedService(trx, service, fixture, users, now, newAgentRow) {
  const { first, count } = fixture.groups[service.agents];
  const agents = users.slice(first, first + count).map((user) => newAgentRow(user.id, user.display_name, now, service.maxChats));
  for (let i = 0; i < agents.length; i += CHUNK) await trx.insertInto('cs_agents').values(agents.slice(i, i + CHUNK)).execute();
  await trx
    .insertInto('cs_sites')
    .values({
      id: randomUUID(),
      site_key: service.siteKey,
      name: 'Bench site',
      allowed_origins: JSON.stringify([service.origin]),
      color: '#2563eb',
      greeting: 'Hi! How can we help you today?',
      pre_chat_enabled: 0,
      pre_chat_fields: '[]',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { siteKey: service.siteKey, origin: service.origin, page: { url: `${service.origin}/pricing`, title: 'Pricing', referrer: '' } };
}

/** The conversations of each user, as indexes into fixture.conversations. */
export function conversationsByUser(fixture) {
  const byUser = fixture.users.map(() => []);
  fixture.conversations.forEach((conversation, index) => {
    for (const member of conversation.members) byUser[member].push(index);
  });
  return byUser;
}

export function shuffle(items, random = Math.random) {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}


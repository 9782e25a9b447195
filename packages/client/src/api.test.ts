import { describe, expect, it } from 'vitest';
import { createApi, type FetchLike } from './api.js';
import { ApiError, NO_STATUS } from './errors.js';
import { CONV_A, ME, OTHER, makeConversation, makeMessage } from './testing/fake-socket.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

/** A fetch that records each call and answers from the given responses in turn. */
function fakeFetch(...responses: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const next = responses.shift();
    if (!next) throw new Error('unexpected call');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const noContent = () => new Response(null, { status: 204 });
const user = { id: ME, username: 'me', displayName: 'Me', roles: ['employee'], disabled: false };

describe('createApi', () => {
  it('logs in with JSON, same-origin credentials, and parses the answer', async () => {
    const { fetch, calls } = fakeFetch(json({ user, permissions: ['im.chat'], token: 'secret', expiresAt: 1 }));
    const api = createApi({ baseUrl: 'https://chat.example.com/', fetch });
    const answer = await api.login({ username: 'me', password: 'correct horse' });
    expect(answer.token).toBe('secret');
    expect(calls).toEqual([
      {
        url: 'https://chat.example.com/api/auth/login',
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: { username: 'me', password: 'correct horse' },
      },
    ]);
  });

  it('sends the bearer token when it has one, and after setToken', async () => {
    const { fetch, calls } = fakeFetch(json({ user, permissions: [] }), json({ user, permissions: [] }), json({ user, permissions: [] }));
    const api = createApi({ fetch, token: 'first' });
    await api.me();
    api.setToken('second');
    await api.me();
    api.setToken(undefined);
    await api.me();
    expect(calls.map((call) => call.headers['authorization'])).toEqual(['Bearer first', 'Bearer second', undefined]);
    expect(calls[0]?.url).toBe('/api/auth/me');
  });

  it('throws an ApiError with the status and the server error body', async () => {
    const error = { code: 'invalid_credentials', message: 'Wrong username or password.', retryable: false };
    const { fetch } = fakeFetch(json({ error }, 401));
    const api = createApi({ fetch });
    const thrown: unknown = await api.login({ username: 'me', password: 'nope' }).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 401, body: error, code: 'invalid_credentials', retryable: false });
  });

  it('makes up an error body when the answer has none (a proxy page), and marks 5xx gateways retryable', async () => {
    const { fetch } = fakeFetch(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }), json({ nope: true }, 429));
    const api = createApi({ fetch });
    await expect(api.listConversations()).rejects.toMatchObject({ status: 502, code: 'unavailable', retryable: true });
    await expect(api.listConversations()).rejects.toMatchObject({ status: 429, code: 'rate_limited', retryable: true });
  });

  it('turns a network failure into a retryable ApiError with no status', async () => {
    const { fetch } = fakeFetch(new TypeError('fetch failed'));
    const api = createApi({ fetch });
    await expect(api.me()).rejects.toMatchObject({ status: NO_STATUS, code: 'unavailable', retryable: true });
  });

  it('refuses an answer that does not match the protocol', async () => {
    const { fetch } = fakeFetch(json({ conversations: [{ id: 'not a conversation' }] }));
    const api = createApi({ fetch });
    await expect(api.listConversations()).rejects.toMatchObject({ status: 200, code: 'internal' });
  });

  it('unwraps single-field answers', async () => {
    const conversation = makeConversation(CONV_A, 2);
    const { fetch, calls } = fakeFetch(
      json({ conversations: [conversation] }),
      json({ conversation }),
      json({ conversation }),
      json({ conversation }),
      json({ conversation }),
      json({ users: [{ user, presence: { userId: ME, status: 'online', lastSeenAt: null } }] }),
      json({ users: [user] }),
      json({ user }),
      json({ user }),
    );
    const api = createApi({ fetch });
    expect(await api.listConversations()).toEqual([conversation]);
    expect(await api.getConversation(CONV_A)).toEqual(conversation);
    expect(await api.createConversation({ kind: 'direct', userId: OTHER })).toEqual(conversation);
    expect(await api.renameConversation(CONV_A, 'New title')).toEqual(conversation);
    expect(await api.addMembers(CONV_A, [OTHER])).toEqual(conversation);
    expect((await api.directory())[0]?.presence.status).toBe('online');
    expect(await api.admin.listUsers()).toEqual([user]);
    expect(await api.admin.createUser({ username: 'new', displayName: 'New', password: 'long enough pw', roles: ['agent'] })).toEqual(user);
    expect(await api.admin.updateUser(ME, { disabled: true })).toEqual(user);
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'GET /api/conversations',
      `GET /api/conversations/${CONV_A}`,
      'POST /api/conversations',
      `PATCH /api/conversations/${CONV_A}`,
      `POST /api/conversations/${CONV_A}/members`,
      'GET /api/users',
      'GET /api/admin/users',
      'POST /api/admin/users',
      `PATCH /api/admin/users/${ME}`,
    ]);
    expect(calls.map((call) => call.body)).toEqual([
      undefined,
      undefined,
      { kind: 'direct', userId: OTHER },
      { title: 'New title' },
      { userIds: [OTHER] },
      undefined,
      undefined,
      { username: 'new', displayName: 'New', password: 'long enough pw', roles: ['agent'] },
      { disabled: true },
    ]);
  });

  it('asks for history pages with before and limit only when given', async () => {
    const page = { messages: [makeMessage(CONV_A, 1), makeMessage(CONV_A, 2)], hasMore: false };
    const { fetch, calls } = fakeFetch(json(page), json(page));
    const api = createApi({ fetch });
    expect(await api.history(CONV_A)).toEqual(page);
    await api.history(CONV_A, { before: 51, limit: 50 });
    expect(calls.map((call) => call.url)).toEqual([`/api/conversations/${CONV_A}/messages`, `/api/conversations/${CONV_A}/messages?before=51&limit=50`]);
  });

  it('resolves the routes that answer 204, and escapes ids in paths', async () => {
    const { fetch, calls } = fakeFetch(noContent(), noContent(), noContent());
    const api = createApi({ fetch });
    await expect(api.logout()).resolves.toBeUndefined();
    await expect(api.changePassword({ currentPassword: 'old', newPassword: 'new password!' })).resolves.toBeUndefined();
    await expect(api.removeMember(CONV_A, '../admin')).resolves.toBeUndefined();
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'POST /api/auth/logout',
      'POST /api/auth/password',
      `DELETE /api/conversations/${CONV_A}/members/..%2Fadmin`,
    ]);
  });

  it('hasSession is false on 401, true on success, and throws otherwise', async () => {
    const unauthorized = { error: { code: 'unauthorized', message: 'Log in first.', retryable: false } };
    const { fetch } = fakeFetch(json(unauthorized, 401), json({ user, permissions: [] }), new TypeError('offline'));
    const api = createApi({ fetch });
    await expect(api.hasSession()).resolves.toBe(false);
    await expect(api.hasSession()).resolves.toBe(true);
    await expect(api.hasSession()).rejects.toBeInstanceOf(ApiError);
  });
});

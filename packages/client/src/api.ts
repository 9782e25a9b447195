import {
  ConversationResponse,
  ConversationsResponse,
  DirectoryResponse,
  ErrorBody,
  HistoryResponse,
  LoginResponse,
  MeResponse,
  UserResponse,
  UsersResponse,
  type ChangePasswordRequest,
  type Conversation,
  type CreateConversationRequest,
  type CreateUserRequest,
  type DirectoryEntry,
  type ErrorCode,
  type LoginRequest,
  type UpdateUserRequest,
  type User,
} from '@switchboard/protocol';
import { ApiError, NO_STATUS } from './errors.js';
import type { Infer } from './types.js';

export type Credentials = Infer<typeof LoginRequest>;
export type PasswordChange = Infer<typeof ChangePasswordRequest>;
export type DirectoryItem = Infer<typeof DirectoryEntry>;

export interface HistoryOptions {
  /** Only messages with a seq strictly below this; omit for the newest page. */
  before?: number;
  /** Page size, 1–200; the server defaults to 50. */
  limit?: number;
}

/** The part of `fetch` the API uses; the global one by default. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ApiOptions {
  /** Server origin, e.g. `https://chat.example.com`; '' (the default) means same origin, for browsers. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Bearer token from a login answer, for clients without the session cookie (Node, tests, bench). */
  token?: string;
}

/** Typed calls to every `/api` route. Each throws an ApiError on failure. */
export interface SwitchboardApi {
  /** Signs in. Browsers get the httpOnly session cookie; other clients use `token` (see `setToken`). */
  login(credentials: Credentials): Promise<LoginResponse>;
  logout(): Promise<void>;
  me(): Promise<MeResponse>;
  /**
   * Whether the session (cookie or token) is still valid: false on 401, true on success, throws on
   * anything else (offline, 5xx). Fits `ClientOptions.checkSession`.
   */
  hasSession(): Promise<boolean>;
  changePassword(change: PasswordChange): Promise<void>;
  /** Every user with their presence (GET /api/users). */
  directory(): Promise<DirectoryItem[]>;
  listConversations(): Promise<Conversation[]>;
  getConversation(conversationId: string): Promise<Conversation>;
  /** Creates a group, or a direct chat — or returns the existing direct chat with that user. */
  createConversation(request: CreateConversationRequest): Promise<Conversation>;
  renameConversation(conversationId: string, title: string): Promise<Conversation>;
  addMembers(conversationId: string, userIds: string[]): Promise<Conversation>;
  /** Removes a member; with the caller's own id, leaves the conversation. */
  removeMember(conversationId: string, userId: string): Promise<void>;
  /** A page of messages in ascending seq. After loading the newest page, tell the client with `markSeen`. */
  history(conversationId: string, options?: HistoryOptions): Promise<HistoryResponse>;
  admin: {
    listUsers(): Promise<User[]>;
    createUser(request: CreateUserRequest): Promise<User>;
    updateUser(userId: string, request: UpdateUserRequest): Promise<User>;
  };
  /** Sets or clears the bearer token sent with every call. */
  setToken(token: string | undefined): void;
}

/** What `json` needs of a protocol schema; TypeScript infers `T` from a zod schema. */
interface Parser<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export function createApi(options: ApiOptions = {}): SwitchboardApi {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  // Call the global fetch through a wrapper: browsers throw "Illegal invocation" when it is called
  // as a method of another object.
  const doFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  let token = options.token;

  async function request(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers['authorization'] = `Bearer ${token}`;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = JSON.stringify(body);
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/api${path}`, init);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ApiError(NO_STATUS, { code: 'unavailable', message: `network error: ${detail}`, retryable: true });
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async function json<T>(schema: Parser<T>, method: Method, path: string, body?: unknown): Promise<T> {
    const response = await request(method, path, body);
    let data: unknown;
    try {
      data = await response.json();
    } catch {
      throw unexpected(response.status, 'the answer is not JSON');
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw unexpected(response.status, parsed.error.message);
    return parsed.data;
  }

  async function empty(method: Method, path: string, body?: unknown): Promise<void> {
    await request(method, path, body);
  }

  const id = encodeURIComponent;

  return {
    login: (credentials) => json(LoginResponse, 'POST', '/auth/login', credentials),
    logout: () => empty('POST', '/auth/logout'),
    me: () => json(MeResponse, 'GET', '/auth/me'),
    hasSession: async () => {
      try {
        await json(MeResponse, 'GET', '/auth/me');
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return false;
        throw error;
      }
    },
    changePassword: (change) => empty('POST', '/auth/password', change),
    directory: async () => (await json(DirectoryResponse, 'GET', '/users')).users,
    listConversations: async () => (await json(ConversationsResponse, 'GET', '/conversations')).conversations,
    getConversation: async (conversationId) => (await json(ConversationResponse, 'GET', `/conversations/${id(conversationId)}`)).conversation,
    createConversation: async (body) => (await json(ConversationResponse, 'POST', '/conversations', body)).conversation,
    renameConversation: async (conversationId, title) =>
      (await json(ConversationResponse, 'PATCH', `/conversations/${id(conversationId)}`, { title })).conversation,
    addMembers: async (conversationId, userIds) =>
      (await json(ConversationResponse, 'POST', `/conversations/${id(conversationId)}/members`, { userIds })).conversation,
    removeMember: (conversationId, userId) => empty('DELETE', `/conversations/${id(conversationId)}/members/${id(userId)}`),
    history: (conversationId, historyOptions = {}) => {
      const query = new URLSearchParams();
      if (historyOptions.before !== undefined) query.set('before', String(historyOptions.before));
      if (historyOptions.limit !== undefined) query.set('limit', String(historyOptions.limit));
      const search = query.size > 0 ? `?${query.toString()}` : '';
      return json(HistoryResponse, 'GET', `/conversations/${id(conversationId)}/messages${search}`);
    },
    admin: {
      listUsers: async () => (await json(UsersResponse, 'GET', '/admin/users')).users,
      createUser: async (body) => (await json(UserResponse, 'POST', '/admin/users', body)).user,
      updateUser: async (userId, body) => (await json(UserResponse, 'PATCH', `/admin/users/${id(userId)}`, body)).user,
    },
    setToken: (next) => {
      token = next;
    },
  };
}

/** The server's `{ error }` body, or the closest one we can make up for a bare status (a proxy's 502). */
async function errorFrom(response: Response): Promise<ApiError> {
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  if (typeof data === 'object' && data !== null && 'error' in data) {
    const body = ErrorBody.safeParse(data.error);
    if (body.success) return new ApiError(response.status, body.data);
  }
  const [code, retryable] = codeForStatus(response.status);
  return new ApiError(response.status, { code, message: `HTTP ${response.status} ${response.statusText}`.trim(), retryable });
}

function codeForStatus(status: number): [ErrorCode, boolean] {
  if (status === 401) return ['unauthorized', false];
  if (status === 403) return ['forbidden', false];
  if (status === 404) return ['not_found', false];
  if (status === 409) return ['conflict', false];
  if (status === 429) return ['rate_limited', true];
  if (status === 502 || status === 503 || status === 504) return ['unavailable', true];
  if (status >= 400 && status < 500) return ['bad_request', false];
  return ['internal', false];
}

function unexpected(status: number, detail: string): ApiError {
  return new ApiError(status, { code: 'internal', message: `unexpected answer from the server: ${detail}`, retryable: false });
}

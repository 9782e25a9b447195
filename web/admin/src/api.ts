/*
 * Typed HTTP helper for the admin console. Every answer is parsed with the protocol's zod schemas,
 * and every failure becomes an ApiError whose `code` the UI branches on (never on message text).
 * The browser sends the httpOnly `sb_session` cookie by itself (credentials: 'same-origin').
 */
import type { ZodType } from 'zod';
import {
  ErrorBody,
  LoginResponse,
  MeResponse,
  UserResponse,
  UsersResponse,
  type CreateUserRequest,
  type ErrorCode,
  type UpdateUserRequest,
  type User,
} from '@switchboard/protocol';

/** Protocol error codes plus the two failures that happen before the server answers usefully. */
export type ApiErrorCode = ErrorCode | 'network' | 'bad_response';

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly retryable: boolean;
  readonly issues: readonly FieldIssue[];

  constructor(status: number, code: ApiErrorCode, message: string, retryable: boolean, issues: readonly FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryable = retryable;
    this.issues = issues;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'internal';
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called when any request (other than the session probe and login) answers 401: the session ended. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

interface CallOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Do not announce a 401 as an ended session (the probe and the login itself). */
  quietUnauthorized?: boolean;
}

async function call<T>(method: string, path: string, schema: ZodType<T> | null, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'network', 'The server could not be reached.', true);
  }

  const text = await response.text().catch(() => '');
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }

  if (!response.ok) {
    const envelope = json !== null && typeof json === 'object' ? (json as { error?: unknown }).error : undefined;
    const parsed = ErrorBody.safeParse(envelope);
    const error = parsed.success
      ? new ApiError(response.status, parsed.data.code, parsed.data.message, parsed.data.retryable, parsed.data.issues ?? [])
      : new ApiError(
          response.status,
          codeForStatus(response.status),
          `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
          response.status >= 500 || response.status === 429,
        );
    if (response.status === 401 && !options.quietUnauthorized) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw error;
  }

  if (schema === null) return undefined as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(response.status, 'bad_response', 'The server sent an answer this console does not understand.', false);
  }
  return parsed.data;
}

export interface LoginInput {
  username: string;
  password: string;
}

export const api = {
  me: (signal?: AbortSignal): Promise<MeResponse> =>
    call('GET', '/api/auth/me', MeResponse, { signal, quietUnauthorized: true }),
  login: (input: LoginInput): Promise<LoginResponse> =>
    call('POST', '/api/auth/login', LoginResponse, { body: input, quietUnauthorized: true }),
  logout: (): Promise<void> => call('POST', '/api/auth/logout', null, { quietUnauthorized: true }),

  listUsers: async (signal?: AbortSignal): Promise<User[]> =>
    (await call('GET', '/api/admin/users', UsersResponse, { signal })).users,
  createUser: async (input: CreateUserRequest): Promise<User> =>
    (await call('POST', '/api/admin/users', UserResponse, { body: input })).user,
  updateUser: async (id: string, input: UpdateUserRequest): Promise<User> =>
    (await call('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, UserResponse, { body: input })).user,
};

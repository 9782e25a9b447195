/*
 * Typed HTTP helper for the admin console. Every answer is parsed with the protocol's zod schemas,
 * and every failure becomes an ApiError whose `code` the UI branches on (never on message text).
 * The browser sends the httpOnly `sb_session` cookie by itself (credentials: 'same-origin').
 */
import type { ZodType } from 'zod';
import { ApiError as SdkApiError, createApi, NO_STATUS, type FetchLike } from '@switchboard/client';
import {
  ErrorBody,
  type CreateUserRequest,
  type LoginResponse,
  type MeResponse,
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

/*
 * The endpoints the client SDK already knows go through it (one place for paths and schemas);
 * its errors are translated to ApiError above so the UI handles one shape. Section endpoints the
 * SDK does not have yet can use `request` until they are added there.
 */
const QUIET_401 = ['/api/auth/me', '/api/auth/login', '/api/auth/logout'];

const notifyingFetch: FetchLike = async (url, init) => {
  const response = await globalThis.fetch(url, init);
  if (response.status === 401 && !QUIET_401.some((path) => url.endsWith(path))) {
    for (const listener of unauthorizedListeners) listener();
  }
  return response;
};

const sdk = createApi({ fetch: notifyingFetch });

function fromSdk(error: unknown): unknown {
  if (!(error instanceof SdkApiError)) return error;
  const { status, body } = error;
  if (status === NO_STATUS) return new ApiError(0, 'network', body.message, true);
  // A 2xx answer the SDK could not parse.
  if (status < 400) return new ApiError(status, 'bad_response', body.message, false);
  return new ApiError(status, body.code, body.message, body.retryable, body.issues ?? []);
}

async function viaSdk<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw fromSdk(error);
  }
}

export const api = {
  me: (): Promise<MeResponse> => viaSdk(() => sdk.me()),
  login: (input: LoginInput): Promise<LoginResponse> => viaSdk(() => sdk.login(input)),
  logout: (): Promise<void> => viaSdk(() => sdk.logout()),

  listUsers: (): Promise<User[]> => viaSdk(() => sdk.admin.listUsers()),
  createUser: (input: CreateUserRequest): Promise<User> => viaSdk(() => sdk.admin.createUser(input)),
  updateUser: (id: string, input: UpdateUserRequest): Promise<User> => viaSdk(() => sdk.admin.updateUser(id, input)),
};

/** A typed call to an `/api` route the SDK does not cover yet; answers are parsed with `schema`. */
export function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, schema: ZodType<T> | null, body?: unknown): Promise<T> {
  return call(method, path, schema, body === undefined ? {} : { body });
}

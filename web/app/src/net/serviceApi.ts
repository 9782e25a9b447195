import {
  AskColleagueResponse,
  ChatHistoryResponse,
  ChatResponse,
  ChatsResponse,
  DepartmentsResponse,
  ErrorBody,
  ServiceAgentsResponse,
  TranscriptsResponse,
  type AskColleagueRequest,
  type ChatSummary,
  type Department,
  type ServiceAgent,
} from '@switchboard/protocol';
import { ApiError, NO_STATUS } from '@switchboard/client';

/** The customer-service HTTP calls of agents (/api/service/*). Each throws the SDK's ApiError on failure. */
export interface ServiceApiPort {
  /** The agent's open chats (queued, assigned to them, invited). */
  openChats(): Promise<ChatSummary[]>;
  chat(chatId: string): Promise<ChatSummary>;
  /** A page of a chat's messages (notes included), ascending seq. */
  history(chatId: string, page: { before?: number; limit: number }): Promise<ChatHistoryResponse>;
  visitorChats(visitorId: string): Promise<ChatSummary[]>;
  transcripts(query: { q?: string; status?: 'closed' | 'all'; before?: number; limit?: number }): Promise<TranscriptsResponse>;
  agents(): Promise<ServiceAgent[]>;
  departments(): Promise<Department[]>;
  /** Posts a help request with a link to the chat in the IM direct chat with the colleague. */
  ask(chatId: string, request: AskColleagueRequest): Promise<AskColleagueResponse>;
}

interface Parser<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

export function createServiceApi(baseUrl = ''): ServiceApiPort {
  const root = baseUrl.replace(/\/+$/, '');
  const id = encodeURIComponent;

  async function call<T>(schema: Parser<T>, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${root}/api/service${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ApiError(NO_STATUS, { code: 'unavailable', message: `network error: ${detail}`, retryable: true });
    }
    const data: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsed = ErrorBody.safeParse((data as { error?: unknown } | undefined)?.error);
      throw new ApiError(
        response.status,
        parsed.success ? parsed.data : { code: response.status === 403 ? 'forbidden' : response.status === 404 ? 'not_found' : 'internal', message: `HTTP ${response.status}`, retryable: response.status >= 500 },
      );
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new ApiError(response.status, { code: 'internal', message: `unexpected answer: ${parsed.error.message}`, retryable: false });
    return parsed.data;
  }

  const query = (params: Record<string, string | number | undefined>): string => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
    return search.size > 0 ? `?${search.toString()}` : '';
  };

  return {
    openChats: async () => (await call(ChatsResponse, 'GET', '/chats')).chats,
    chat: async (chatId) => (await call(ChatResponse, 'GET', `/chats/${id(chatId)}`)).chat,
    history: (chatId, page) => call(ChatHistoryResponse, 'GET', `/chats/${id(chatId)}/messages${query({ before: page.before, limit: page.limit })}`),
    visitorChats: async (visitorId) => (await call(ChatsResponse, 'GET', `/visitors/${id(visitorId)}/chats`)).chats,
    transcripts: (params) => call(TranscriptsResponse, 'GET', `/transcripts${query({ q: params.q?.trim(), status: params.status, before: params.before, limit: params.limit })}`),
    agents: async () => (await call(ServiceAgentsResponse, 'GET', '/agents')).agents,
    departments: async () => (await call(DepartmentsResponse, 'GET', '/departments')).departments,
    ask: (chatId, request) => call(AskColleagueResponse, 'POST', `/chats/${id(chatId)}/ask`, request),
  };
}

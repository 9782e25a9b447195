import type { Conversation, CreateConversationRequest, HistoryResponse, LoginResponse, MeResponse, Presence, User } from '@switchboard/protocol';

export interface DirectoryEntry {
  user: User;
  presence: Presence;
}

/** The HTTP calls the login flow needs. */
export interface AuthPort {
  login(username: string, password: string): Promise<LoginResponse>;
  logout(): Promise<void>;
  me(): Promise<MeResponse>;
}

/** The HTTP calls the chat needs. Implemented over the SDK's `createApi` in net/api.ts. */
export interface ApiPort extends AuthPort {
  directory(): Promise<DirectoryEntry[]>;
  createConversation(request: CreateConversationRequest): Promise<Conversation>;
  getConversation(conversationId: string): Promise<Conversation>;
  renameConversation(conversationId: string, title: string): Promise<Conversation>;
  addMembers(conversationId: string, userIds: readonly string[]): Promise<Conversation>;
  removeMember(conversationId: string, userId: string): Promise<void>;
  history(conversationId: string, page: { before?: number; limit: number }): Promise<HistoryResponse>;
}

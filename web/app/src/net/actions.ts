import { createContext, useContext } from 'react';

/** What the UI can ask of the chat session (implemented by ChatSession in net/chatSession.ts). */
export interface ChatActions {
  /** Loads the newest page of a conversation if needed (called when it is opened). */
  ensureLoaded(conversationId: string): void;
  loadOlder(conversationId: string): void;
  send(conversationId: string, body: string): void;
  retry(conversationId: string, clientId: string): void;
  discard(conversationId: string, clientId: string): void;
  edit(conversationId: string, messageId: string, body: string): Promise<void>;
  remove(conversationId: string, messageId: string): Promise<void>;
  typing(conversationId: string, state: 'start' | 'stop'): void;
  markRead(conversationId: string, seq: number): void;
  setPresence(status: 'online' | 'away'): void;
  /** Keeps these users' presence live while shown (directory, pickers); returns the way to stop. */
  watchPresence(userIds: readonly string[]): () => void;
  /** Opens (creating if needed) the direct chat with a user; resolves to its id. */
  openDirect(userId: string): Promise<string>;
  createGroup(title: string, memberIds: readonly string[]): Promise<string>;
  rename(conversationId: string, title: string): Promise<void>;
  addMembers(conversationId: string, userIds: readonly string[]): Promise<void>;
  removeMember(conversationId: string, userId: string): Promise<void>;
  leave(conversationId: string): Promise<void>;
  reconnectNow(): void;
  logout(): Promise<void>;
}

export const ChatActionsContext = createContext<ChatActions | null>(null);

export function useChatActions(): ChatActions {
  const actions = useContext(ChatActionsContext);
  if (!actions) throw new Error('useChatActions must be used inside <ChatActionsContext.Provider>');
  return actions;
}

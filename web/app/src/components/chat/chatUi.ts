import { createContext, useContext } from 'react';
import type { Message } from '@switchboard/protocol';

/**
 * Stable callbacks from the chat pane to message rows. Passed through context so the memoised
 * rows do not re-render when the pane does.
 */
export interface ChatUi {
  startEdit(message: Message): void;
  endEdit(): void;
  requestDelete(message: Message): void;
  /** Puts focus back in the composer (after editing, Escape, …). */
  focusComposer(): void;
}

export const ChatUiContext = createContext<ChatUi | null>(null);

export function useChatUi(): ChatUi {
  const value = useContext(ChatUiContext);
  if (!value) throw new Error('useChatUi must be used inside <ChatUiContext.Provider>');
  return value;
}

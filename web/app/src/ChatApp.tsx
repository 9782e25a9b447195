import { useEffect, useState } from 'react';
import { socketUrl } from '@switchboard/client';
import { useAuth } from './auth/AuthProvider.js';
import type { SignedInSession } from './auth/postLogin.js';
import { Shell } from './components/shell/Shell.js';
import { ChatActionsContext } from './net/actions.js';
import { ChatSession } from './net/chatSession.js';
import type { ApiPort } from './net/ports.js';
import { createStore } from './state/store.js';
import { StoreProvider } from './state/StoreProvider.js';

/** The signed-in app: one store and one chat session (socket) for as long as the session lasts. */
export function ChatApp({ api, session }: { api: ApiPort; session: SignedInSession }) {
  const { ended, logout } = useAuth();
  const [store] = useState(() => {
    const created = createStore();
    created.dispatch({ type: 'session.started', user: session.user, permissions: session.permissions });
    return created;
  });
  const [chat] = useState(
    () =>
      new ChatSession({
        store,
        api,
        socketUrl: socketUrl(window.location.origin),
        onEnded: ended,
        onLogout: logout,
      }),
  );

  useEffect(() => {
    chat.start();
    return () => chat.stop();
  }, [chat]);

  return (
    <StoreProvider store={store}>
      <ChatActionsContext.Provider value={chat}>
        <Shell />
      </ChatActionsContext.Provider>
    </StoreProvider>
  );
}

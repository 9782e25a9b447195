import { useEffect, useRef, useState } from 'react';
import { socketUrl } from '@switchboard/client';
import { useAuth } from './auth/AuthProvider.js';
import { PostLoginSteps } from './auth/PostLoginSteps.js';
import type { SignedInSession } from './auth/postLogin.js';
import { Shell } from './components/shell/Shell.js';
import { useI18n } from './i18n/I18nProvider.js';
import { ChatActionsContext } from './net/actions.js';
import { AgentDesk, ServiceActionsContext } from './net/agentDesk.js';
import { ChatSession } from './net/chatSession.js';
import type { ApiPort } from './net/ports.js';
import { createServiceApi } from './net/serviceApi.js';
import { createStore } from './state/store.js';
import { StoreProvider } from './state/StoreProvider.js';

/**
 * The signed-in app: one store, one chat session (socket) and, for agents, the customer-service desk
 * on the same socket, for as long as the session lasts. Post-login steps (the duty prompt) run on top.
 */
export function ChatApp({ api, session }: { api: ApiPort; session: SignedInSession }) {
  const { ended, logout } = useAuth();
  const { t } = useI18n();
  const translate = useRef(t);
  translate.current = t;
  const [store] = useState(() => {
    const created = createStore();
    created.dispatch({ type: 'session.started', user: session.user, permissions: session.permissions });
    return created;
  });
  const [desk] = useState(() => new AgentDesk({ store, api, serviceApi: createServiceApi(), translate: () => translate.current }));
  const [chat] = useState(
    () =>
      new ChatSession({
        store,
        api,
        socketUrl: socketUrl(window.location.origin),
        onEnded: ended,
        onLogout: logout,
        desk,
      }),
  );

  useEffect(() => {
    chat.start();
    return () => chat.stop();
  }, [chat]);

  return (
    <StoreProvider store={store}>
      <ChatActionsContext.Provider value={chat}>
        <ServiceActionsContext.Provider value={desk}>
          <PostLoginSteps session={session}>
            <Shell />
          </PostLoginSteps>
        </ServiceActionsContext.Provider>
      </ChatActionsContext.Provider>
    </StoreProvider>
  );
}

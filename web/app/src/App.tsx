import { useState } from 'react';
import { AuthProvider, useAuth } from './auth/AuthProvider.js';
import { ChatApp } from './ChatApp.js';
import { LoginScreen } from './components/login/LoginScreen.js';
import { useI18n } from './i18n/I18nProvider.js';
import { I18nProvider } from './i18n/I18nProvider.js';
import { createAppApi } from './net/api.js';
import type { ApiPort } from './net/ports.js';

function Gate({ api }: { api: ApiPort }) {
  const { auth } = useAuth();
  const { t } = useI18n();
  switch (auth.status) {
    case 'checking':
      return (
        <div className="splash" role="status">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          <span>{t('app.loading')}</span>
        </div>
      );
    case 'signedOut':
      return <LoginScreen notice={auth.notice} />;
    case 'signedIn':
      return (
        // Keyed by user and login: a new login gets a fresh store, socket and post-login steps.
        <ChatApp key={`${auth.user.id}:${auth.via}`} api={api} session={auth} />
      );
  }
}

export function App() {
  const [api] = useState(() => createAppApi());
  return (
    <I18nProvider>
      <AuthProvider api={api}>
        <Gate api={api} />
      </AuthProvider>
    </I18nProvider>
  );
}

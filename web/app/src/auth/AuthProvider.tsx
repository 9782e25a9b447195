import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MessageKey } from '../i18n/en.js';
import { toFailure } from '../lib/errors.js';
import type { AuthPort } from '../net/ports.js';
import type { SignedInSession } from './postLogin.js';

export type AuthState =
  | { status: 'checking' }
  | { status: 'signedOut'; notice: MessageKey | null }
  | ({ status: 'signedIn' } & SignedInSession);

interface AuthContextValue {
  auth: AuthState;
  /** Resolves on success; rejects with the API error (the login form shows it). */
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** The server ended the session (logout elsewhere, disabled account): back to the login screen. */
  ended(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ api, children }: { api: AuthPort; children: ReactNode }) {
  const [auth, setAuth] = useState<AuthState>({ status: 'checking' });

  useEffect(() => {
    let cancelled = false;
    const check = async (): Promise<void> => {
      try {
        const me = await api.me();
        if (!cancelled) setAuth({ status: 'signedIn', user: me.user, permissions: me.permissions, via: 'resume' });
      } catch (error) {
        if (cancelled) return;
        const failure = toFailure(error);
        setAuth({ status: 'signedOut', notice: failure.code === 'unauthorized' ? null : failure.code === 'network' ? 'login.error.network' : null });
      }
    };
    void check();
    return () => {
      cancelled = true;
    };
  }, [api]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await api.login(username, password);
      setAuth({ status: 'signedIn', user: answer.user, permissions: answer.permissions, via: 'login' });
    },
    [api],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setAuth({ status: 'signedOut', notice: null });
    }
  }, [api]);

  const ended = useCallback(() => setAuth({ status: 'signedOut', notice: 'session.expired' }), []);

  const value = useMemo(() => ({ auth, login, logout, ended }), [auth, login, logout, ended]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

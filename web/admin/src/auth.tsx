/*
 * Session state. On start we probe GET /api/auth/me: 401 means "show the login form". A 401 from
 * any later request means the session ended (expired, logged out elsewhere, account disabled):
 * the console stays mounted and asks to sign in again on top, so no typed input is lost.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MeResponse, Permission } from '@switchboard/protocol';
import { ApiError, api, isApiError, onUnauthorized, type LoginInput } from './api';

export type AuthState =
  | { status: 'loading' }
  /** `probeError` is set when the session check failed for another reason than 401. */
  | { status: 'anonymous'; probeError: ApiError | null; signedOut: boolean }
  | { status: 'authenticated'; me: MeResponse; expired: boolean };

export interface Auth {
  state: AuthState;
  login: (input: LoginInput) => Promise<void>;
  logout: () => Promise<void>;
  retry: () => void;
  can: (permission: Permission) => boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const [probe, setProbe] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api
      .me()
      .then((me) => {
        if (!controller.signal.aborted) setState({ status: 'authenticated', me, expired: false });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const probeError = isApiError(error) && error.status !== 401 ? error : null;
        setState({
          status: 'anonymous',
          probeError: probeError ?? (isApiError(error) ? null : new ApiError(0, 'network', String(error), true)),
          signedOut: false,
        });
      });
    return () => controller.abort();
  }, [probe]);

  useEffect(
    () =>
      onUnauthorized(() =>
        setState((current) => (current.status === 'authenticated' ? { ...current, expired: true } : current)),
      ),
    [],
  );

  const login = useCallback(async (input: LoginInput) => {
    const answer = await api.login(input);
    setState({ status: 'authenticated', me: { user: answer.user, permissions: answer.permissions }, expired: false });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Even if the server could not be told, forget the session here; the cookie is httpOnly.
    }
    setState({ status: 'anonymous', probeError: null, signedOut: true });
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setProbe((n) => n + 1);
  }, []);

  const value = useMemo<Auth>(
    () => ({
      state,
      login,
      logout,
      retry,
      can: (permission) => state.status === 'authenticated' && state.me.permissions.includes(permission),
    }),
    [state, login, logout, retry],
  );

  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user's data; only for components rendered inside the authenticated shell. */
export function useMe(): MeResponse {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useMe needs a signed-in user');
  return state.me;
}

import type { ComponentType } from 'react';
import type { Permission, User } from '@switchboard/protocol';
import { DutyPrompt } from '../components/service/DutyPrompt.js';

/**
 * Steps shown right after a successful login, on top of the app (which connects underneath).
 *
 * Patent step c: for users with the `cs.agent` permission, "Enable online customer service now?";
 * yes sends the "enter online customer service" request (`duty.set available`). Each step decides
 * with `applies` whether it runs and calls `done()` when finished. Steps run only after an
 * interactive login (`via === 'login'`), not when a saved session resumes (a reload keeps the duty
 * the server has recorded), unless a step chooses otherwise. Steps render inside the store and
 * action providers (see ChatApp).
 */
export interface SignedInSession {
  user: User;
  permissions: readonly Permission[];
  /** 'login': the user just typed their password; 'resume': a saved cookie session was found. */
  via: 'login' | 'resume';
}

export interface PostLoginStepProps {
  session: SignedInSession;
  done: () => void;
}

export interface PostLoginStep {
  id: string;
  applies(session: SignedInSession): boolean;
  Component: ComponentType<PostLoginStepProps>;
}

export function hasPermission(session: { permissions: readonly Permission[] }, permission: Permission): boolean {
  return session.permissions.includes(permission);
}

/** Registered steps, in order. */
export const POST_LOGIN_STEPS: readonly PostLoginStep[] = [
  {
    id: 'duty-prompt',
    applies: (session) => session.via === 'login' && hasPermission(session, 'cs.agent'),
    Component: DutyPrompt,
  },
];

import type { ComponentType } from 'react';
import type { Permission, User } from '@switchboard/protocol';

/**
 * Steps shown right after a successful login, before the chat opens (patent step c).
 *
 * The customer-service milestone adds one here: for users with the `cs.agent` permission it asks
 * "Enable online customer service now?" and, on yes, sends the "enter online customer service"
 * request. Each step decides with `applies` whether it runs and calls `done()` when finished.
 * Steps run only after an interactive login (`via === 'login'`), not when a saved session resumes,
 * unless a step chooses otherwise.
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

/** Registered steps, in order. Empty until the customer-service feature lands. */
export const POST_LOGIN_STEPS: readonly PostLoginStep[] = [];

export function hasPermission(session: { permissions: readonly Permission[] }, permission: Permission): boolean {
  return session.permissions.includes(permission);
}

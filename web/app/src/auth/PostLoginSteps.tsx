import { useState, type ReactNode } from 'react';
import { POST_LOGIN_STEPS, type PostLoginStep, type SignedInSession } from './postLogin.js';

/**
 * Shows the app (`children`) with the applicable post-login steps on top of it, one after the
 * other (a step is typically a modal dialog). The app connects underneath meanwhile.
 */
export function PostLoginSteps({ session, steps = POST_LOGIN_STEPS, children }: { session: SignedInSession; steps?: readonly PostLoginStep[]; children: ReactNode }) {
  const [pending] = useState(() => steps.filter((step) => step.applies(session)));
  const [index, setIndex] = useState(0);
  const step = pending[index];
  return (
    <>
      {children}
      {step ? <step.Component key={step.id} session={session} done={() => setIndex((current) => current + 1)} /> : null}
    </>
  );
}

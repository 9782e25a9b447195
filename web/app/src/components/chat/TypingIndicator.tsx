import { useMemo } from 'react';
import { useNow } from '../../hooks/useNow.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAppState } from '../../state/StoreProvider.js';

const NOBODY: ReadonlyMap<string, number> = new Map();

/** "Alice is typing…" under the messages; indicators expire unless renewed (LIMITS.typingTtlMs). */
export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const typers = useAppState((state) => state.typing.get(conversationId) ?? NOBODY);
  const users = useAppState((state) => state.users);
  const now = useNow(1000, typers.size > 0);

  const names = useMemo(() => {
    const active: string[] = [];
    for (const [userId, expiresAt] of typers) {
      if (expiresAt > now) active.push(users.get(userId)?.displayName ?? t('conversation.unknownUser'));
    }
    return active;
  }, [typers, users, now, t]);

  let text = '';
  if (names.length === 1) text = t('typing.one', { name: names[0] ?? '' });
  else if (names.length === 2) text = t('typing.two', { first: names[0] ?? '', second: names[1] ?? '' });
  else if (names.length > 2) text = t('typing.many');

  return <TypingLine text={text} testId="typing" />;
}

/** The line under a history that says who is typing (empty, but present for the live region, when nobody is). */
export function TypingLine({ text, testId }: { text: string; testId: string }) {
  return (
    <div className="typing-line" aria-live="polite">
      {text ? (
        <span className="typing" data-testid={testId}>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </span>
      ) : null}
    </div>
  );
}

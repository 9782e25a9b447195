import { useCallback } from 'react';
import type { Conversation } from '@switchboard/protocol';
import { useI18n } from '../i18n/I18nProvider.js';
import { conversationTitle } from '../state/selectors.js';
import { useAppState } from '../state/StoreProvider.js';

/** Returns a function naming conversations with the current users and language. */
export function useConversationTitler(): (conversation: Conversation) => string {
  const { t } = useI18n();
  const users = useAppState((state) => state.users);
  const meId = useAppState((state) => state.me?.id);
  return useCallback(
    (conversation: Conversation) =>
      conversationTitle(conversation, users, meId, { untitled: t('conversation.untitled'), unknownUser: t('conversation.unknownUser') }),
    [users, meId, t],
  );
}

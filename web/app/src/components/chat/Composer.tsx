import { forwardRef, useImperativeHandle } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { ComposerForm } from './ComposerForm.js';
import { useComposerDraft } from './useComposerDraft.js';

/** Drafts survive switching conversations (not reloads). */
const drafts = new Map<string, string>();

export interface ComposerHandle {
  focus(): void;
}

interface ComposerProps {
  conversationId: string;
  /** Who the message goes to, for the placeholder. */
  recipient: string;
  /** ArrowUp in an empty composer edits the last own message. */
  onEditLast: () => boolean;
}

/** The message box: Enter sends, Shift+Enter adds a line; typing notifications go out while typing. */
export const Composer = forwardRef<ComposerHandle, ComposerProps>(function Composer({ conversationId, recipient, onEditLast }, handle) {
  const { t } = useI18n();
  const actions = useChatActions();
  const draft = useComposerDraft({ drafts, draftKey: conversationId, onTyping: (state) => actions.typing(conversationId, state), announceTyping: true });

  useImperativeHandle(handle, () => ({ focus: () => draft.areaRef.current?.focus() }), [draft.areaRef]);

  const send = (): void => {
    if (!draft.canSend) return;
    actions.send(conversationId, draft.text);
    draft.stopTyping();
    draft.clear();
  };

  return (
    <ComposerForm
      className="composer"
      draft={draft}
      label={t('composer.label')}
      placeholder={t('composer.placeholder', { name: recipient })}
      sendLabel={t('composer.send')}
      sendIcon="send"
      onSend={send}
      onArrowUpEmpty={onEditLast}
    />
  );
});
